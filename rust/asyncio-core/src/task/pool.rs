//! [`TaskPool`]: static storage for tasks, for firmware that allocates nothing at run time
//! (embassy's `TaskPool` is the model: a pool per kind of task, sized at build time).

use core::cell::UnsafeCell;
use core::future::Future;
use core::mem::MaybeUninit;
use core::ptr::NonNull;
use portable_atomic::{AtomicBool, Ordering};

use crate::error::{Error, TaskOutput};
use crate::raw::header::TaskPtr;
use crate::raw::task_cell::{self, AsIs, ByTaskOutput, Home, Verdict};
use crate::scheduler::Scheduler;
use crate::task::Task;

/// The most a pooled task's memory may be aligned to (a slot's alignment).
const SLOT_ALIGN: usize = 8;

/// A slot's bytes, aligned for any task a pool takes.
#[repr(C, align(8))]
struct Bytes<const SIZE: usize>([u8; SIZE]);

/// One slot: its claim flag first, then the task at a fixed offset, so that a freed task finds
/// its flag without knowing the pool's slot size.
#[repr(C)]
struct Slot<const SIZE: usize> {
    taken: AtomicBool,
    task: UnsafeCell<MaybeUninit<Bytes<SIZE>>>,
}

/// Where a slot's task starts, from its flag: the flag is one byte, the task `SLOT_ALIGN`-aligned.
const TASK_OFFSET: usize = SLOT_ALIGN;

impl<const SIZE: usize> Slot<SIZE> {
    // A constant, to repeat it in the pool's array: each use is a fresh, unshared slot.
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW: Self = Slot {
        taken: AtomicBool::new(false),
        task: UnsafeCell::new(MaybeUninit::uninit()),
    };
}

/// A pool's slots as a task's [`Home`]: freeing the task releases its slot.
struct PoolSlot;

impl Home for PoolSlot {
    unsafe fn give_back(memory: NonNull<u8>, _: core::alloc::Layout) {
        // SAFETY: the memory is a slot's task (it came from `TaskPool::claim`), whose flag sits
        // `TASK_OFFSET` bytes before it in the same slot.
        let taken = unsafe { &*(memory.as_ptr().sub(TASK_OFFSET) as *const AtomicBool) };
        // Release: the task's drop happens before the slot's next claim.
        taken.store(false, Ordering::Release);
    }
}

/// Static storage for `SLOTS` tasks of at most `SLOT_SIZE` bytes each, task header included.
///
/// A task spawned into a pool takes a free slot and gives it back when it is freed (it has
/// finished, or been cancelled, and no handle or waker refers to it any more); spawning into a
/// full pool is [`Error::PoolFull`], and nothing is allocated either way. Declare one pool per
/// kind of task in a `static`; [`task_size`](crate::task_size) tells how big a task is, and a
/// future too big for the pool's slots (or aligned to more than 8 bytes) is a build error.
///
/// ```
/// use asyncio_core::{run, sleep_ms, Error, TaskPool};
///
/// async fn blink(times: u32) -> Result<u32, Error> {
///     for _ in 0..times {
///         sleep_ms(10).await?;
///     }
///     Ok(times)
/// }
///
/// static BLINKERS: TaskPool<256, 2> = TaskPool::new();
///
/// run(async {
///     let a = BLINKERS.create_task(blink(1))?;
///     let b = BLINKERS.create_task(blink(2))?;
///     assert_eq!(BLINKERS.create_task(blink(3)).unwrap_err(), Error::PoolFull);
///     assert_eq!(a.await?, 1);
///     assert_eq!(b.await?, 2);
///     // Both finished and their handles are gone: their slots are free again.
///     assert_eq!(BLINKERS.free(), 2);
///     BLINKERS.create_task(blink(0))?.await
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub struct TaskPool<const SLOT_SIZE: usize, const SLOTS: usize> {
    slots: [Slot<SLOT_SIZE>; SLOTS],
}

// SAFETY: a slot is claimed with an atomic swap, so each is handed to one task at a time; the
// task in it is then used as a heap task is, by its loop's thread (and by wakers, through the
// header's atomics only).
unsafe impl<const SLOT_SIZE: usize, const SLOTS: usize> Sync for TaskPool<SLOT_SIZE, SLOTS> {}

impl<const SLOT_SIZE: usize, const SLOTS: usize> TaskPool<SLOT_SIZE, SLOTS> {
    /// An empty pool, for a `static`.
    ///
    /// ```
    /// use asyncio_core::TaskPool;
    ///
    /// static UPLOADERS: TaskPool<512, 4> = TaskPool::new();
    /// assert_eq!(UPLOADERS.free(), 4);
    /// ```
    pub const fn new() -> Self {
        TaskPool {
            slots: [Slot::NEW; SLOTS],
        }
    }

    /// Schedules `future` as a new task in a slot of this pool, on the current thread's loop
    /// (as [`create_task`](crate::create_task) does on the heap).
    ///
    /// # Errors
    /// [`Error::PoolFull`] if every slot holds a task; `future` is dropped, nothing else
    /// happens.
    ///
    /// ```
    /// use asyncio_core::{run, Error, TaskPool};
    ///
    /// static SAMPLERS: TaskPool<256, 1> = TaskPool::new();
    ///
    /// let out = run(async {
    ///     let first = SAMPLERS.create_task(async { Ok::<_, Error>(21) })?;
    ///     // One slot, taken: the second spawn is refused, and says so.
    ///     let second = SAMPLERS.create_task(async { Ok::<_, Error>(0) });
    ///     assert_eq!(second.map(drop), Err(Error::PoolFull));
    ///     Ok::<_, Error>(first.await? * 2)
    /// });
    /// assert_eq!(out.unwrap(), Ok(42));
    /// ```
    pub fn create_task<F>(&'static self, future: F) -> Result<Task<F::Output>, Error>
    where
        F: Future + 'static,
        F::Output: TaskOutput,
    {
        let core = crate::context::current_loop();
        let task = self.spawn::<F, ByTaskOutput>(core, future)?;
        Ok(Task::adopt(task))
    }

    /// [`run`](crate::run) with the main task in a slot of this pool: for firmware without a
    /// heap, whose `main` starts the loop this way.
    ///
    /// # Errors
    /// As `run` ([`Error::NestedRun`], [`Error::Cancelled`]), and [`Error::PoolFull`] if no slot
    /// is free.
    ///
    /// ```
    /// use asyncio_core::{sleep_ms, TaskPool};
    ///
    /// static MAIN: TaskPool<256, 1> = TaskPool::new();
    ///
    /// let out = MAIN.run(async {
    ///     sleep_ms(10).await.unwrap();
    ///     "done"
    /// });
    /// assert_eq!(out, Ok("done"));
    /// ```
    pub fn run<F>(&'static self, future: F) -> Result<F::Output, Error>
    where
        F: Future + 'static,
    {
        if crate::context::running_loop().is_some() {
            return Err(Error::NestedRun);
        }
        let core = crate::context::current_loop();
        let main = self.spawn::<F, AsIs>(core, future)?;
        // SAFETY: a main task just made for `future`, whose output is `F::Output`.
        unsafe { crate::Loop::from_core(core).run_main(main) }
    }

    /// Spawns `future` on `core` in a free slot.
    fn spawn<F, V>(&'static self, core: &'static Scheduler, future: F) -> Result<TaskPtr, Error>
    where
        F: Future + 'static,
        V: Verdict<F::Output> + 'static,
    {
        const {
            let layout = task_cell::cell_layout::<F, V>();
            assert!(
                layout.size() <= SLOT_SIZE,
                "this task does not fit the pool's slots: raise SLOT_SIZE to task_size(&future)"
            );
            assert!(
                layout.align() <= SLOT_ALIGN,
                "a pooled task may be aligned to 8 bytes at most"
            );
        }
        let memory = self.claim().ok_or(Error::PoolFull)?;
        // SAFETY: a claimed slot, of at least the cell's size and alignment (checked above),
        // given back through `PoolSlot`.
        Ok(unsafe { core.spawn_in::<F, V, PoolSlot>(memory, future, true) })
    }

    /// How many slots are free now: a slot comes back when its task is freed (finished or
    /// cancelled, with no handle or waker left).
    ///
    /// ```
    /// use asyncio_core::{run, sleep_ms, TaskPool};
    ///
    /// static BLINKERS: TaskPool<256, 2> = TaskPool::new();
    ///
    /// run(async {
    ///     let t = BLINKERS.create_task(sleep_ms(5)).unwrap();
    ///     assert_eq!(BLINKERS.free(), 1);
    ///     t.await.unwrap();
    ///     assert_eq!(BLINKERS.free(), 2);
    /// })
    /// .unwrap();
    /// ```
    pub fn free(&self) -> usize {
        self.slots
            .iter()
            .filter(|slot| !slot.taken.load(Ordering::Relaxed))
            .count()
    }

    /// Claims a free slot: its task's memory.
    fn claim(&self) -> Option<NonNull<u8>> {
        let slot = self
            .slots
            .iter()
            // A load first: a taken slot is passed over without a write (on Armv6-M every
            // swap is a critical section).
            .find(|slot| {
                !slot.taken.load(Ordering::Relaxed) && !slot.taken.swap(true, Ordering::Acquire)
            })?;
        debug_assert_eq!(
            slot.task.get() as usize - &slot.taken as *const AtomicBool as usize,
            TASK_OFFSET
        );
        NonNull::new(slot.task.get() as *mut u8)
    }
}

impl<const SLOT_SIZE: usize, const SLOTS: usize> Default for TaskPool<SLOT_SIZE, SLOTS> {
    fn default() -> Self {
        Self::new()
    }
}

/// How many bytes a task for `future` takes, header included: the smallest `SLOT_SIZE` of a
/// [`TaskPool`] it fits, and what [`create_task`](crate::create_task) allocates for it.
///
/// ```
/// use asyncio_core::{sleep_ms, task_size};
///
/// let blink = async { sleep_ms(10).await };
/// assert!(task_size(&blink) > core::mem::size_of_val(&blink));
/// ```
pub fn task_size<F>(_future: &F) -> usize
where
    F: Future + 'static,
    F::Output: TaskOutput,
{
    task_cell::cell_layout::<F, ByTaskOutput>().size()
}
