//! Where wakes land: a lock-free stack any context can push to, drained by the loop.
//!
//! Pushing is one compare-and-swap, so it is safe from interrupt handlers and other threads.
//! The loop takes the whole stack in one swap and reverses it, which gives wake order (FIFO).
//! The platform's `notify` (a `k_poll_signal_raise` on Zephyr) is only called when the stack
//! goes from empty to non-empty while the loop is parked: a busy loop is never signalled, and a
//! burst of wakes costs one signal.
//!
//! Parking protocol: the loop sets `parked` and then checks the stacks; a waker pushes and then
//! checks `parked`. A sequentially consistent fence sits between each side's write and read, so
//! at least one side sees the other's write: either the loop finds the task, or the waker
//! signals. (Fences rather than `SeqCst` accesses: that is the form C11 guarantees for a
//! store followed by a load of another location, and the form loom can check.)
//!
//! There are three stacks. Wakes that model I/O readiness — a `ThreadSafeFlag` set, kernel
//! objects and sockets — go on the second one, which the loop serves after the first: as in
//! MicroPython, where the loop polls I/O between tasks, a task woken that way runs behind
//! every task that was already ready, the setter included when it yields right after setting.
//! The third holds [`RemoteNode`]s: calls another thread asked the loop to make on its own
//! thread (`call_soon_threadsafe`), served before the round's tasks are collected. The fourth
//! is the urgent lane: wakes of tasks marked urgent, which the loop looks at before every poll
//! and runs ahead of the tasks already ready (once per round each: see the scheduler).

use super::atomic::{const_unless_loom, fence, AtomicBool, AtomicPtr, AtomicU32, Ordering};
use core::ptr;

use super::header::{Header, TaskPtr};
use super::run_queue::RunQueue;

/// What a wake needs from the system when it must end the loop's park: the one call the wake
/// path makes (the platform's `notify`, a `k_poll_signal_raise` on Zephyr). Any context.
pub(crate) trait Notify: Sync {
    fn notify(&self);
}

/// A node of one of the stacks, linked through its own `next`.
trait Link: Sized {
    fn next(&self) -> &AtomicPtr<Self>;
}

impl Link for Header {
    fn next(&self) -> &AtomicPtr<Header> {
        &self.next
    }
}

/// A queued call for the loop's thread; lives in a `static` `RemoteCall`.
pub(crate) struct RemoteNode {
    next: AtomicPtr<RemoteNode>,
    queued: AtomicBool,
}

impl RemoteNode {
    const_unless_loom! {
        pub(crate) fn new() -> Self {
            RemoteNode {
                next: AtomicPtr::new(ptr::null_mut()),
                queued: AtomicBool::new(false),
            }
        }
    }
}

impl Link for RemoteNode {
    fn next(&self) -> &AtomicPtr<RemoteNode> {
        &self.next
    }
}

/// Pushes `node`; true if the stack was empty.
fn push<N: Link>(stack: &AtomicPtr<N>, node: &N) -> bool {
    let raw = node as *const N as *mut N;
    let mut head = stack.load(Ordering::Relaxed);
    loop {
        node.next().store(head, Ordering::Relaxed);
        match stack.compare_exchange_weak(head, raw, Ordering::Release, Ordering::Relaxed) {
            Ok(_) => return head.is_null(),
            Err(current) => head = current,
        }
    }
}

/// Takes the whole stack and walks it, newest first. Each node's link is read before the
/// node is handed out, so `f` may relink it.
fn take_newest_first<N: Link>(stack: &AtomicPtr<N>, mut f: impl FnMut(&N)) {
    // Most rounds find one of the stacks empty: a load says so without the swap's
    // read-modify-write (a push after it is found at the next round, or ends the park).
    if stack.load(Ordering::Relaxed).is_null() {
        return;
    }
    let mut node = stack.swap(ptr::null_mut(), Ordering::Acquire);
    // SAFETY: pushed nodes stay valid until the loop has taken them: a task's SCHEDULED bit
    // keeps it allocated, a remote call is a `static`.
    while let Some(n) = unsafe { node.as_ref() } {
        node = n.next().load(Ordering::Relaxed);
        f(n);
    }
}

/// The part of a loop that wakers reach from any context.
pub(crate) struct WakeQueue {
    head: AtomicPtr<Header>,
    io_head: AtomicPtr<Header>,
    urgent_head: AtomicPtr<Header>,
    remote_head: AtomicPtr<RemoteNode>,
    parked: AtomicBool,
    notifies: AtomicU32,
    notifier: &'static dyn Notify,
}

impl WakeQueue {
    pub(crate) fn new(notifier: &'static dyn Notify) -> Self {
        WakeQueue {
            head: AtomicPtr::new(ptr::null_mut()),
            io_head: AtomicPtr::new(ptr::null_mut()),
            urgent_head: AtomicPtr::new(ptr::null_mut()),
            remote_head: AtomicPtr::new(ptr::null_mut()),
            parked: AtomicBool::new(false),
            notifies: AtomicU32::new(0),
            notifier,
        }
    }

    /// Queues a task that was just marked scheduled, waking a parked loop if needed.
    pub(crate) fn schedule(&self, task: TaskPtr) {
        self.push_and_notify(&self.head, task.header());
    }

    /// Like [`schedule`](Self::schedule), for a wake that models I/O readiness.
    pub(crate) fn schedule_io(&self, task: TaskPtr) {
        self.push_and_notify(&self.io_head, task.header());
    }

    /// Like [`schedule`](Self::schedule), for a task marked urgent.
    pub(crate) fn schedule_urgent(&self, task: TaskPtr) {
        self.push_and_notify(&self.urgent_head, task.header());
    }

    /// Queues a released task for the loop to free; not worth waking the loop for.
    pub(crate) fn defer_free(&self, task: TaskPtr) {
        push(&self.head, task.header());
    }

    /// Queues a call for the loop's thread; false if it is queued already (on any loop).
    pub(crate) fn call_remote(&self, node: &'static RemoteNode) -> bool {
        let claimed = node
            .queued
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok();
        if claimed {
            self.push_and_notify(&self.remote_head, node);
        }
        claimed
    }

    fn push_and_notify<N: Link>(&self, stack: &AtomicPtr<N>, node: &N) {
        if !push(stack, node) {
            return; // whoever made the stack non-empty has already signalled, if needed
        }
        fence(Ordering::SeqCst);
        if self.parked.load(Ordering::Relaxed) {
            self.notifies.fetch_add(1, Ordering::Relaxed);
            self.notifier.notify();
        }
    }

    /// Everything scheduled so far, oldest first.
    pub(crate) fn take_all(&self) -> RunQueue {
        Self::take(&self.head)
    }

    /// Every urgent task scheduled so far, oldest first.
    pub(crate) fn take_urgent(&self) -> RunQueue {
        Self::take(&self.urgent_head)
    }

    /// Whether an urgent task waits (one relaxed load: the loop asks before every poll).
    pub(crate) fn has_urgent(&self) -> bool {
        !self.urgent_head.load(Ordering::Relaxed).is_null()
    }

    /// Everything scheduled as I/O readiness so far, oldest first.
    pub(crate) fn take_io(&self) -> RunQueue {
        Self::take(&self.io_head)
    }

    fn take(stack: &AtomicPtr<Header>) -> RunQueue {
        let mut fifo = RunQueue::new();
        take_newest_first(stack, |header| {
            // SAFETY: every pushed header is a live task (see `take_newest_first`).
            fifo.push_front(unsafe { TaskPtr::from_raw(header as *const Header as *const ()) })
        });
        fifo
    }

    /// Calls `f` with every remote call queued so far, oldest first; each may be queued again
    /// from the moment `f` receives it. Whether there was any.
    pub(crate) fn take_remote(&self, mut f: impl FnMut(&'static RemoteNode)) -> bool {
        // Relink newest-first into oldest-first.
        let (mut oldest, mut any): (*const RemoteNode, _) = (ptr::null(), false);
        take_newest_first(&self.remote_head, |node| {
            node.next
                .store(oldest as *mut RemoteNode, Ordering::Relaxed);
            oldest = node;
        });
        while !oldest.is_null() {
            // SAFETY: remote nodes are `'static` (`call_remote` takes them so).
            let node: &'static RemoteNode = unsafe { &*oldest };
            oldest = node.next.load(Ordering::Relaxed);
            node.queued.store(false, Ordering::Release);
            f(node);
            any = true;
        }
        any
    }

    /// Announces that the loop is about to block in `park`; true if it may, false if a wake
    /// arrived first (the loop then retracts with [`unpark`](Self::unpark) and runs it).
    pub(crate) fn park_announced(&self) -> bool {
        self.parked.store(true, Ordering::Relaxed);
        fence(Ordering::SeqCst);
        self.head.load(Ordering::Relaxed).is_null()
            && self.io_head.load(Ordering::Relaxed).is_null()
            && self.urgent_head.load(Ordering::Relaxed).is_null()
            && self.remote_head.load(Ordering::Relaxed).is_null()
    }

    /// Retracts [`park_announced`](Self::park_announced): wakers stop signalling.
    pub(crate) fn unpark(&self) {
        self.parked.store(false, Ordering::Relaxed);
    }

    /// How many times a waker had to signal a parked loop.
    pub(crate) fn notifies(&self) -> u32 {
        self.notifies.load(Ordering::Relaxed)
    }
}

/// Model checks (loom explores every interleaving the memory model allows): a wake is never
/// lost, whatever the wakers do while the loop decides to park.
#[cfg(all(test, loom))]
mod loom_tests {
    extern crate std;

    use super::*;
    use crate::raw::header::Header;
    use crate::raw::task_cell::TaskVTable;
    use std::boxed::Box;

    /// `park`/`notify` with Zephyr's level semantics (a raised signal stays raised until the
    /// parked loop consumes it), which is loom's `Notify`: a lost wake-up is a deadlock loom
    /// reports.
    struct LoomSignal(loom::sync::Notify);

    impl LoomSignal {
        fn park(&self) {
            self.0.wait();
        }
    }

    impl Notify for LoomSignal {
        fn notify(&self) {
            self.0.notify();
        }
    }

    unsafe fn never(_: TaskPtr) {
        unreachable!("the model never runs tasks")
    }

    static VTABLE: TaskVTable = TaskVTable {
        poll: |_, _| unreachable!(),
        discard: never,
        take_output: |_, _| unreachable!(),
        output: |_| unreachable!(),
        outcome: |_| unreachable!(),
        with_failure: |_, _| unreachable!(),
        dealloc: never,
        type_name: || "model",
    };

    /// Explores every interleaving with up to three preemptions: the depth tokio checks its own
    /// scheduler at, and enough for each race here (the park decision, a push, a signal),
    /// while a full search of the three-thread model would take hours.
    fn model(f: impl Fn() + Sync + Send + 'static) {
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound = Some(3);
        builder.check(f);
    }

    fn leak_queue() -> &'static WakeQueue {
        let signal: &'static LoomSignal =
            Box::leak(Box::new(LoomSignal(loom::sync::Notify::new())));
        Box::leak(Box::new(WakeQueue::new(signal)))
    }

    fn signal_of(queue: &WakeQueue) -> &LoomSignal {
        // SAFETY: every queue of the model is made by `leak_queue`, with a `LoomSignal`.
        unsafe { &*(queue.notifier as *const dyn Notify as *const LoomSignal) }
    }

    fn leak_task(queue: &'static WakeQueue) -> TaskPtr {
        let header = Box::leak(Box::new(Header::new(queue, &VTABLE, 1, false)));
        // SAFETY: a leaked header lives for the rest of the model run.
        unsafe { TaskPtr::from_raw(header as *const Header as *const ()) }
    }

    /// The loop's side: park until something is queued, exactly as `Scheduler::park` does
    /// around the platform, then take what was queued.
    fn loop_until_woken(queue: &WakeQueue, expected: usize) {
        let mut seen = 0;
        while seen < expected {
            let mut woken = queue.take_all();
            while woken.pop_front().is_some() {
                seen += 1;
            }
            let mut io = queue.take_io();
            while io.pop_front().is_some() {
                seen += 1;
            }
            queue.take_remote(|_| seen += 1);
            if seen == expected {
                break;
            }
            if queue.park_announced() {
                signal_of(queue).park();
            }
            queue.unpark();
        }
    }

    #[test]
    fn loom_a_wake_from_another_thread_is_never_lost() {
        model(|| {
            let queue = leak_queue();
            let task = leak_task(queue);
            let waker = loom::thread::spawn(move || task.wake_by_ref());
            loop_until_woken(queue, 1);
            waker.join().unwrap();
        });
    }

    #[test]
    fn loom_two_wakers_racing_the_park_are_both_seen() {
        model(|| {
            let queue = leak_queue();
            let (a, b) = (leak_task(queue), leak_task(queue));
            let first = loom::thread::spawn(move || a.wake_by_ref());
            let second = loom::thread::spawn(move || b.wake_io());
            loop_until_woken(queue, 2);
            first.join().unwrap();
            second.join().unwrap();
        });
    }

    #[test]
    fn loom_a_remote_call_racing_the_park_is_served() {
        model(|| {
            let queue = leak_queue();
            let node: &'static RemoteNode = Box::leak(Box::new(RemoteNode::new()));
            let caller = loom::thread::spawn(move || assert!(queue.call_remote(node)));
            loop_until_woken(queue, 1);
            caller.join().unwrap();
        });
    }

    /// The loop's side of freeing, as `Scheduler` does it: how many of `tasks` it freed (a
    /// released task, or one that had no references left when it was unscheduled).
    fn free_count(tasks: &mut RunQueue) -> usize {
        let mut freed = 0;
        while let Some(task) = tasks.pop_front() {
            if task.header().state.is_released() || task.unschedule() {
                freed += 1;
            }
        }
        freed
    }

    /// Reference counting without a reference for the queue: a waker that wakes and then drops
    /// the last reference while the loop takes the task off its queue frees it exactly once,
    /// by either side.
    #[test]
    fn loom_a_task_is_freed_once_when_its_last_waker_races_the_loop() {
        model(|| {
            let queue = leak_queue();
            let task = leak_task(queue); // one reference: the waker's
            let waker = loom::thread::spawn(move || {
                task.wake_by_ref();
                task.release();
            });
            let mut freed = free_count(&mut queue.take_all());
            waker.join().unwrap();
            freed += free_count(&mut queue.take_all());
            assert_eq!(freed, 1);
        });
    }

    /// A consuming wake (the waker's reference passes to the SCHEDULED bit in one step) racing
    /// the drop of the only other reference: still freed exactly once.
    #[test]
    fn loom_a_consuming_wake_racing_the_last_handle_frees_once() {
        model(|| {
            let queue = leak_queue();
            let task = leak_task(queue);
            task.ref_inc(); // a second reference: a handle's
            let waker = loom::thread::spawn(move || task.wake());
            let mut freed = free_count(&mut queue.take_all());
            task.release();
            freed += free_count(&mut queue.take_all());
            waker.join().unwrap();
            freed += free_count(&mut queue.take_all());
            assert_eq!(freed, 1);
        });
    }

    #[test]
    fn loom_a_task_is_queued_once_however_often_it_is_woken() {
        model(|| {
            let queue = leak_queue();
            let task = leak_task(queue);
            let other = loom::thread::spawn(move || task.wake_by_ref());
            task.wake_by_ref();
            other.join().unwrap();
            let mut queued = queue.take_all();
            let mut count = 0;
            while queued.pop_front().is_some() {
                count += 1;
            }
            assert_eq!(count, 1);
        });
    }
}
