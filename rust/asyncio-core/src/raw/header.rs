//! The task header: the part of every task the loop and its wakers know without knowing the
//! task's future type.
//!
//! Two kinds of fields live here, and the split is what makes wakers safe everywhere:
//!
//! - `state`, `next`, `wake_queue` and `vtable` may be touched from any thread or interrupt
//!   handler, by wakers. `state` is one atomic word: a SCHEDULED bit, an URGENT bit (wakes go
//!   to the loop's urgent lane) and a reference count.
//! - `local` is bookkeeping that only the loop thread reads or writes (the [`Lifecycle`], the
//!   stage tag, the awaiter list, the all-tasks links, the diagnostic record). Task handles are
//!   `!Send`, so nothing else can reach it.
//!
//! Memory: a task is freed when its last reference goes and it is not scheduled. References are
//! held by the loop while the task is unfinished, by each handle and by each waker; the SCHEDULED
//! bit stands for the queue's hold, so a wake is one atomic operation and the loop's hot path
//! (wake, poll) does no reference counting. Whoever finds the count at zero with the bit clear
//! frees the task: the loop when it takes a task off its queue ([`TaskPtr::unschedule`]), else
//! the holder of the last reference. A waker may drop that inside an interrupt handler, where
//! the allocator must not run, so that case hands the task to the loop to free (see
//! [`TaskPtr::release`]).

use super::atomic::{AtomicPtr, AtomicU32, Ordering};
use core::cell::Cell;
use core::ptr::NonNull;

use super::lifecycle::Lifecycle;
use super::task_cell::TaskVTable;
use super::task_info::TaskInfo;
use super::task_list::TaskLinks;
use super::wait_list::WaitList;
use super::wake_queue::WakeQueue;

/// Queued on a wake queue or run queue; keeps the task allocated like a reference does.
const SCHEDULED: u32 = 1 << 0;
/// No references are left; queued for the loop to free.
const RELEASED: u32 = 1 << 1;
/// Marked urgent: a wake queues it on the loop's urgent lane (see `wake_queue`).
const URGENT: u32 = 1 << 2;
/// One reference in the count stored above the flag bits.
const REF_ONE: u32 = 1 << 3;
/// The bits that are not the reference count.
const FLAGS: u32 = REF_ONE - 1;

/// Where a wake queues a task.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lane {
    /// Already queued: nothing to do.
    Queued,
    /// The lane its waker chose.
    Normal,
    /// The urgent lane: the task is marked urgent.
    Urgent,
}

impl Lane {
    /// Where a wake that found the state `prev` (before setting SCHEDULED) queues the task.
    fn after(prev: u32) -> Lane {
        if prev & SCHEDULED != 0 {
            Lane::Queued
        } else if prev & URGENT != 0 {
            Lane::Urgent
        } else {
            Lane::Normal
        }
    }
}

/// The atomic word: SCHEDULED and URGENT bits plus reference count.
pub(crate) struct State(AtomicU32);

impl State {
    /// A new task's state: `refs` references, and scheduled if `scheduled`.
    pub(crate) fn new(refs: u32, scheduled: bool) -> Self {
        let flag = if scheduled { SCHEDULED } else { 0 };
        State(AtomicU32::new(flag | (refs * REF_ONE)))
    }

    /// Sets SCHEDULED; where to queue the task (nowhere if it was queued already).
    fn try_schedule(&self) -> Lane {
        // A fetch_or whose result is tested for its one bit is a single `lock bts` on x86;
        // reading URGENT from the same result would make it a compare-and-swap loop. So a
        // second, plain load reads URGENT, and only for a wake that queues the task (a
        // set_urgent racing with the wake picks either lane; both are right for it).
        if self.0.fetch_or(SCHEDULED, Ordering::AcqRel) & SCHEDULED != 0 {
            return Lane::Queued;
        }
        Lane::after(self.0.load(Ordering::Relaxed) & !SCHEDULED)
    }

    /// Sets SCHEDULED and drops one reference, in one step (the reference's hold passes to the
    /// bit, so nothing is freed here); where to queue the task (nowhere if it was queued
    /// already).
    fn schedule_and_release(&self) -> Lane {
        let update = |state: u32| Some((state | SCHEDULED) - REF_ONE);
        // The closure never refuses, so the update always succeeds.
        let prev = match self
            .0
            .fetch_update(Ordering::AcqRel, Ordering::Relaxed, update)
        {
            Ok(prev) | Err(prev) => prev,
        };
        debug_assert!(prev >= REF_ONE);
        Lane::after(prev)
    }

    /// Clears SCHEDULED before a poll, so that a wake during the poll queues the task again;
    /// true if no references are left (the caller must then free the task).
    fn unschedule_is_last(&self) -> bool {
        let prev = self.0.fetch_and(!SCHEDULED, Ordering::AcqRel);
        debug_assert!(prev & SCHEDULED != 0);
        prev & !FLAGS == 0
    }

    fn ref_inc(&self) {
        // Relaxed is enough: the caller already holds a reference, or the task is scheduled, so
        // it cannot be freed meanwhile.
        let prev = self.0.fetch_add(REF_ONE, Ordering::Relaxed);
        debug_assert!(prev >= REF_ONE || prev & SCHEDULED != 0);
        debug_assert!(prev <= u32::MAX - REF_ONE);
    }

    /// Drops one reference; true if it was the last and the task is not scheduled.
    fn ref_dec_is_last(&self) -> bool {
        let prev = self.0.fetch_sub(REF_ONE, Ordering::AcqRel);
        debug_assert!(prev >= REF_ONE);
        prev & !URGENT == REF_ONE
    }

    /// Marks a task nobody references any more as queued to be freed. Nothing else can reach
    /// it, so a plain store does.
    fn mark_released(&self) {
        self.0.store(SCHEDULED | RELEASED, Ordering::Release);
    }

    /// Whether the task is queued to run.
    pub(crate) fn is_scheduled(&self) -> bool {
        self.0.load(Ordering::Acquire) & SCHEDULED != 0
    }

    /// Marks the task urgent, or not: its next wakes take the loop's urgent lane. Any context.
    pub(crate) fn set_urgent(&self, urgent: bool) {
        if urgent {
            self.0.fetch_or(URGENT, Ordering::Relaxed);
        } else {
            self.0.fetch_and(!URGENT, Ordering::Relaxed);
        }
    }

    /// Whether the task is marked urgent.
    pub(crate) fn is_urgent(&self) -> bool {
        self.0.load(Ordering::Relaxed) & URGENT != 0
    }

    /// Whether the task was queued to be freed rather than polled.
    pub(crate) fn is_released(&self) -> bool {
        self.0.load(Ordering::Acquire) & RELEASED != 0
    }
}

/// Which member of the task cell's stage is alive (the cell's tag, kept here where it fits
/// beside the life cycle's bits).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Contents {
    /// The future: unfinished.
    Running,
    /// The future's output.
    Finished,
    /// Neither: dropped before producing an output (cancelled before it started, or
    /// discarded), or its output was dropped.
    Dropped,
    /// Neither: the output was handed to an awaiter.
    Retrieved,
}

/// Bookkeeping only the loop thread touches.
pub(crate) struct Local {
    pub(crate) lifecycle: Lifecycle,
    /// What the cell's stage holds; written by the cell's functions only.
    pub(crate) contents: Cell<Contents>,
    /// The round (its number's low byte) in which the task last ran: an urgent wake runs it
    /// ahead of the ready tasks only if it has not run in this round yet, so that an urgent
    /// task cannot starve the others (in the byte of padding beside the two fields above, so
    /// the header does not grow).
    pub(crate) ran_round: Cell<u8>,
    /// Tasks awaiting this one's completion.
    pub(crate) awaiters: WaitList,
    /// The task this one is awaiting, if any: where `cancel()` is forwarded.
    pub(crate) awaiting: Cell<Option<TaskPtr>>,
    /// Links in the loop's list of unfinished tasks.
    pub(crate) links: TaskLinks,
    /// When it was cancelled, in loop clock ticks, while the grace guard watches it.
    pub(crate) cancelled_at: Cell<u32>,
    /// Name, polls, what it waits for, birth: for diagnostics only (empty in a lean build).
    pub(crate) info: TaskInfo,
}

/// The header at the start of every task allocation.
#[repr(C)]
pub(crate) struct Header {
    pub(crate) state: State,
    /// Link in the wake queue or run queue, whichever holds the task (at most one).
    pub(crate) next: AtomicPtr<Header>,
    pub(crate) wake_queue: &'static WakeQueue,
    pub(crate) vtable: &'static TaskVTable,
    pub(crate) local: Local,
}

impl Header {
    pub(crate) fn new(
        wake_queue: &'static WakeQueue,
        vtable: &'static TaskVTable,
        refs: u32,
        scheduled: bool,
    ) -> Self {
        Header {
            state: State::new(refs, scheduled),
            next: AtomicPtr::new(core::ptr::null_mut()),
            wake_queue,
            vtable,
            local: Local {
                lifecycle: Lifecycle::new(),
                contents: Cell::new(Contents::Running),
                ran_round: Cell::new(0),
                awaiters: WaitList::new(),
                awaiting: Cell::new(None),
                links: TaskLinks::new(),
                cancelled_at: Cell::new(0),
                info: TaskInfo::new(),
            },
        }
    }
}

/// A pointer to a live task. Copying it does not take a reference: whoever holds a `TaskPtr`
/// must own one of the task's references (or be inside a borrow of one).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct TaskPtr(NonNull<Header>);

impl TaskPtr {
    /// # Safety
    /// `ptr` must point to the header of a live task.
    pub(crate) unsafe fn from_raw(ptr: *const ()) -> Self {
        // SAFETY: the caller guarantees a non-null pointer to a live header.
        TaskPtr(unsafe { NonNull::new_unchecked(ptr as *mut Header) })
    }

    pub(crate) fn as_raw(self) -> *const () {
        self.0.as_ptr() as *const ()
    }

    pub(crate) fn header<'a>(self) -> &'a Header {
        // SAFETY: a `TaskPtr` is only held together with a reference to the task (see the type's
        // contract), so the allocation is live while it is used.
        unsafe { self.0.as_ref() }
    }

    pub(crate) fn local<'a>(self) -> &'a Local {
        &self.header().local
    }

    /// The name given to the task, else its future's type name.
    pub(crate) fn name(self) -> &'static str {
        let given = self.local().info.name();
        given.unwrap_or_else(|| (self.header().vtable.type_name)())
    }

    /// Takes one more reference (for a new handle or waker).
    pub(crate) fn ref_inc(self) {
        self.header().state.ref_inc();
    }

    /// Queues the task to run, unless it is already queued (on the urgent lane if it is marked
    /// urgent). Any context.
    pub(crate) fn wake_by_ref(self) {
        let h = self.header();
        self.queue(h.state.try_schedule(), WakeQueue::schedule);
    }

    /// Like [`wake_by_ref`](Self::wake_by_ref), for a wake that models I/O readiness: the task
    /// runs after the tasks woken otherwise (see `wake_queue`), unless it is urgent. Any
    /// context.
    pub(crate) fn wake_io(self) {
        let h = self.header();
        self.queue(h.state.try_schedule(), WakeQueue::schedule_io);
    }

    /// Like [`wake_by_ref`](Self::wake_by_ref), consuming the caller's reference. Any context.
    pub(crate) fn wake(self) {
        let h = self.header();
        self.queue(h.state.schedule_and_release(), WakeQueue::schedule);
    }

    /// Queues the task on `lane`: `normal` is the waker's own choice of queue. Inlined, so
    /// that `normal` is a direct call and the wake stays as short as it was without lanes.
    #[inline(always)]
    fn queue(self, lane: Lane, normal: fn(&WakeQueue, TaskPtr)) {
        let queue = self.header().wake_queue;
        match lane {
            Lane::Queued => {}
            Lane::Normal => normal(queue, self),
            Lane::Urgent => queue.schedule_urgent(self),
        }
    }

    /// Drops one reference from any context. The last one does not free the task here (this may
    /// be an interrupt handler); it queues the task for the loop to free.
    pub(crate) fn release(self) {
        let h = self.header();
        if h.state.ref_dec_is_last() {
            h.state.mark_released();
            h.wake_queue.defer_free(self);
        }
    }

    /// Takes a task the loop popped off its queue off the queue's books (clears SCHEDULED, so a
    /// later wake queues it again); true if nothing references it any more, in which case the
    /// caller frees it with [`dealloc`](Self::dealloc) once done with it.
    pub(crate) fn unschedule(self) -> bool {
        self.header().state.unschedule_is_last()
    }

    /// Drops one reference on the loop thread, freeing the task if it was the last.
    ///
    /// # Safety
    /// The caller must be on the loop thread that owns the task, outside any borrow of it.
    pub(crate) unsafe fn release_local(self) {
        if self.header().state.ref_dec_is_last() {
            // SAFETY: no references remain, so nothing else can reach the allocation, and the
            // caller is on a thread where the allocator may run.
            unsafe { self.dealloc() };
        }
    }

    /// Frees the task.
    ///
    /// # Safety
    /// No references may remain and the caller must be on a thread where allocation is allowed.
    pub(crate) unsafe fn dealloc(self) {
        let dealloc = self.header().vtable.dealloc;
        // SAFETY: forwarded from the caller; the vtable matches the allocation's type.
        unsafe { dealloc(self) }
    }
}

/// The task header's fields and their sizes in bytes on this target, in declaration order,
/// then the padding the layout adds: for the benchmarks' byte-by-byte breakdown.
pub(crate) fn header_layout() -> [(&'static str, usize); 13] {
    use core::mem::size_of;
    let fields = [
        ("state and reference count", size_of::<State>()),
        ("queue link", size_of::<AtomicPtr<Header>>()),
        ("wake queue", size_of::<&'static WakeQueue>()),
        ("vtable", size_of::<&'static TaskVTable>()),
        ("life cycle", size_of::<Lifecycle>()),
        ("stage tag", size_of::<Cell<Contents>>()),
        ("round last run (urgent bound)", size_of::<Cell<u8>>()),
        ("awaiters", size_of::<WaitList>()),
        ("task awaited", size_of::<Cell<Option<TaskPtr>>>()),
        ("all-tasks links", size_of::<TaskLinks>()),
        ("cancelled at (grace guard)", size_of::<Cell<u32>>()),
        ("diagnostic record", size_of::<TaskInfo>()),
    ];
    let used: usize = fields.iter().map(|(_, bytes)| bytes).sum();
    let mut out = [("", 0); 13];
    out[..12].copy_from_slice(&fields);
    out[12] = ("padding", size_of::<Header>() - used);
    out
}
