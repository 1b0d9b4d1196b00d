//! The task handles: [`Task`] (owns the result) and [`TaskRef`] (shareable, untyped).
//!
//! A [`Task<O>`] is the unique owner of a task's result: awaiting it (which consumes it) yields
//! the result once, so a value never has to be cloned. [`TaskRef`] is the shareable handle:
//! cancel it, wait for it, ask whether it is done, compare it with
//! [`current_task`](crate::current_task).
//!
//! Dropping a handle does not stop the task (as in asyncio): an unfinished task belongs to the
//! loop until it ends.

use core::fmt;
use core::marker::PhantomData;
use core::ops::Deref;

use super::join::Wait;
use crate::context;
use crate::error::{Error, TaskOutput};
use crate::raw::header::TaskPtr;
use crate::raw::task_cell::Outcome;
use crate::waiting::Waiting;

/// A shareable reference to a task, without its result type.
///
/// Cheap to clone (a reference count), compared by identity. Not `Send`: tasks belong to their
/// loop's thread.
///
/// ```
/// use asyncio_core::{create_task, current_task, run, Error};
///
/// run(async {
///     let me = current_task().unwrap();
///     let child = create_task(async { Ok::<_, Error>(current_task().unwrap()) });
///     let seen = child.await.unwrap();
///     assert_ne!(seen, me);
///     assert!(seen.done());
/// })
/// .unwrap();
/// ```
pub struct TaskRef {
    ptr: TaskPtr,
    _not_send: PhantomData<*const ()>,
}

impl TaskRef {
    /// A new handle to `ptr`, taking a reference.
    pub(crate) fn from_ptr(ptr: TaskPtr) -> Self {
        ptr.ref_inc();
        Self::adopt(ptr)
    }

    /// A handle that takes over a reference the caller already owns.
    pub(crate) fn adopt(ptr: TaskPtr) -> Self {
        TaskRef {
            ptr,
            _not_send: PhantomData,
        }
    }

    pub(crate) fn ptr(&self) -> TaskPtr {
        self.ptr
    }

    /// Requests cancellation, as Python's `Task.cancel()`.
    ///
    /// The task becomes runnable and its next await of a loop primitive returns
    /// `Err(Error::Cancelled)`, once: it may then clean up, awaiting as it needs (say goodbye,
    /// release a remote lock), and should end by passing the error on. A later `cancel()` is a
    /// new request, delivered again. If the task is awaiting another task, the request is passed
    /// on to the innermost task it awaits, which decides for both. A task may cancel itself (as
    /// in CPython; MicroPython raises).
    ///
    /// Returns `false` if the task had already finished.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, sleep_ms, Error};
    ///
    /// run(async {
    ///     let t = create_task(async {
    ///         match sleep_ms(10_000).await {
    ///             Err(Error::Cancelled) => {
    ///                 sleep_ms(5).await?; // the cleanup awaits normally
    ///                 Err(Error::Cancelled) // and passes the cancellation on
    ///             }
    ///             other => other.map(|()| "woke up"),
    ///         }
    ///     });
    ///     sleep_ms(1).await.unwrap();
    ///     assert!(t.cancel());
    ///     assert_eq!(t.await, Err(Error::Cancelled));
    /// })
    /// .unwrap();
    /// ```
    pub fn cancel(&self) -> bool {
        Self::cancel_ptr(self.ptr)
    }

    /// [`cancel`](Self::cancel) for a task the caller holds a reference to.
    pub(crate) fn cancel_ptr(task: TaskPtr) -> bool {
        if task.local().lifecycle.is_complete() {
            return false;
        }
        let mut target = task;
        while let Some(inner) = target.local().awaiting.get() {
            if inner.local().lifecycle.is_complete() {
                break;
            }
            // Told through the task it awaits, but counted here too (`cancelling()`).
            target.local().lifecycle.count_forwarded();
            target = inner;
        }
        let requested = match context::this_threads_loop().filter(|core| core.owns(target)) {
            Some(core) => core.request_cancel(target),
            None => target.local().lifecycle.request_cancel_unwatched(),
        };
        if requested {
            target.wake_by_ref();
        }
        requested
    }

    /// Waits until the task has finished, without taking its result, and says how it ended:
    /// `Ok(())` if it succeeded, `Err(Error::Cancelled)` if it was cancelled, and
    /// `Err(Error::TaskFailed)` if it failed. Any number of tasks may wait for one task this way
    /// (Python's `await task` from several tasks; [`Task::share`] gives each the value). As with
    /// awaiting a task, cancelling the waiting task is forwarded to this one, so the waiter
    /// sees the cancellation as the task ends with it.
    ///
    /// Waiting does not retrieve a failure: if nobody takes the task's result, the error goes
    /// to the exception handler all the same.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, sleep_ms, Error};
    ///
    /// run(async {
    ///     let t = create_task(sleep_ms(10));
    ///     let r = t.to_ref();
    ///     let watcher = create_task(async move { r.wait().await });
    ///     t.to_ref().wait().await?;
    ///     watcher.await?;
    ///     Ok::<_, Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn wait(&self) -> Wait<'_> {
        Wait::new(self)
    }

    /// Cancels the task the hard way: its future is dropped now (its `Drop` code runs, as a
    /// `finally` would), without the task seeing `Error::Cancelled` or running async cleanup.
    /// Awaiters get `Err(Error::Cancelled)`. Aborting the running task itself takes effect as
    /// it next returns to the loop. Returns `false` if the task had already finished (or
    /// belongs to another thread's loop).
    ///
    /// ```
    /// use asyncio_core::{create_task, run, sleep_ms, Error};
    ///
    /// run(async {
    ///     let t = create_task(sleep_ms(10_000));
    ///     sleep_ms(1).await?;
    ///     assert!(t.abort());
    ///     assert!(t.done()); // at once
    ///     assert_eq!(t.await, Err(Error::Cancelled));
    ///     Ok::<_, Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn abort(&self) -> bool {
        !self.done() && context::current_loop().abort(self.ptr)
    }

    pub(crate) fn outcome(&self) -> Outcome {
        // SAFETY: the handle keeps the task alive; loop thread.
        unsafe { (self.ptr.header().vtable.outcome)(self.ptr) }
    }

    /// Whether the task has finished (returned, failed or been cancelled).
    pub fn done(&self) -> bool {
        self.ptr.local().lifecycle.is_complete()
    }

    /// Whether the task finished by being cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.ptr.local().lifecycle.ended_cancelled()
    }

    /// The task's name: the one given with [`set_name`](Self::set_name), else the type name of
    /// its future (which names the `async fn` it came from).
    pub fn name(&self) -> &'static str {
        self.ptr.name()
    }

    /// Names the task, for logs and task listings.
    ///
    /// ```
    /// use asyncio_core::{create_task, run};
    ///
    /// run(async {
    ///     let t = create_task(async {});
    ///     t.set_name("uploader");
    ///     assert_eq!(t.name(), "uploader");
    ///     t.await.unwrap();
    /// })
    /// .unwrap();
    /// ```
    pub fn set_name(&self, name: &'static str) {
        self.ptr.local().info.set_name(name);
    }

    /// How many times the task's future has been polled.
    pub fn polls(&self) -> u32 {
        self.ptr.local().info.polls()
    }

    /// What the task is waiting for: [`Waiting::Ready`] while it is queued or running,
    /// [`Waiting::Done`] once finished, else what the primitive it awaits noted.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, yield_now, Event, Waiting};
    /// use std::rc::Rc;
    ///
    /// run(async {
    ///     let ev = Rc::new(Event::new());
    ///     let e = ev.clone();
    ///     let t = create_task(async move { e.wait().await });
    ///     assert_eq!(t.waiting(), Waiting::Ready); // queued
    ///     yield_now().await?;
    ///     assert_eq!(t.waiting(), Waiting::On("Event"));
    ///     ev.set();
    ///     t.await.map(drop)
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn waiting(&self) -> Waiting {
        let running = context::running_loop().and_then(|core| core.current_task());
        if self.done() {
            Waiting::Done
        } else if self.ptr.header().state.is_scheduled() || running == Some(self.ptr) {
            Waiting::Ready
        } else {
            self.ptr.local().info.waiting()
        }
    }

    /// How long ago the task was created, in milliseconds of the loop's clock.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, sleep_ms};
    ///
    /// run(async {
    ///     let t = create_task(sleep_ms(100));
    ///     sleep_ms(30).await.unwrap();
    ///     assert_eq!(t.age_ms(), 30);
    ///     t.cancel();
    /// })
    /// .unwrap();
    /// ```
    pub fn age_ms(&self) -> u64 {
        let core = context::current_loop();
        let now = core.now().ticks() as u32;
        let age = now.wrapping_sub(self.ptr.local().info.born());
        crate::time::ticks_to_ms(u64::from(age), core.platform().ticks_per_second())
    }

    /// Withdraws one cancellation request (CPython's `Task.uncancel()`) and returns how many
    /// are left. When none are, the task goes on as if never cancelled: a request not yet
    /// delivered is called off, the grace guard stops watching it, and ending normally is not
    /// reported as a swallowed cancellation ([`Diagnostics`](crate::Diagnostics)). A cancel
    /// requested later is delivered as usual. A task that catches its cancellation on purpose
    /// calls this; [`timeout`](crate::timeout) and [`TaskGroup`](crate::TaskGroup) call it to
    /// take back the cancellations they made themselves.
    ///
    /// ```
    /// use asyncio_core::{create_task, current_task, run, sleep_ms, yield_now, Error};
    ///
    /// let out = run(async {
    ///     let t = create_task(async {
    ///         if sleep_ms(1000).await == Err(Error::Cancelled) {
    ///             // Cancelling means "stop waiting, flush and report": deliberate.
    ///             current_task().unwrap().uncancel();
    ///             sleep_ms(10).await?; // flush
    ///         }
    ///         Ok::<_, Error>("flushed")
    ///     });
    ///     yield_now().await?;
    ///     t.cancel();
    ///     t.await
    /// });
    /// assert_eq!(out.unwrap(), Ok("flushed"));
    /// ```
    pub fn uncancel(&self) -> usize {
        let remaining = match context::this_threads_loop().filter(|core| core.owns(self.ptr)) {
            Some(core) => core.uncancel(self.ptr),
            None => self.ptr.local().lifecycle.uncancel().remaining,
        };
        usize::from(remaining)
    }

    /// How many cancellation requests the task has had that were not withdrawn by
    /// [`uncancel`](Self::uncancel) (CPython's `Task.cancelling()`); a `cancel()` passed on to
    /// a task this one awaits counts here too.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, sleep_ms, yield_now, Error};
    ///
    /// run(async {
    ///     let t = create_task(sleep_ms(1000));
    ///     yield_now().await?;
    ///     t.cancel();
    ///     t.cancel();
    ///     assert_eq!(t.cancelling(), 2);
    ///     assert_eq!(t.uncancel(), 1); // one left: still cancelled
    ///     assert_eq!(t.await, Err(Error::Cancelled));
    ///     Ok::<_, Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn cancelling(&self) -> usize {
        usize::from(self.ptr.local().lifecycle.cancelling())
    }

    /// Marks the task urgent, or lifts the mark: while marked, every wake of the task (from a
    /// waker in any context: an interrupt's `ThreadSafeFlag::set`, a timer, another task) runs
    /// it as soon as the poll in progress returns, ahead of the round's other ready tasks,
    /// instead of behind them. At most once per round: a task that has already run in this
    /// round waits for the next one (at its front), so an urgent task cannot starve the others.
    /// [`urgent`](crate::urgent) marks the calling task for one wait.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, yield_now, Error};
    ///
    /// run(async {
    ///     let control = create_task(async { yield_now().await });
    ///     control.set_urgent(true);
    ///     assert!(control.is_urgent());
    ///     control.await
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn set_urgent(&self, urgent: bool) {
        self.ptr.header().state.set_urgent(urgent);
    }

    /// Whether the task is marked urgent ([`set_urgent`](Self::set_urgent)).
    pub fn is_urgent(&self) -> bool {
        self.ptr.header().state.is_urgent()
    }

    /// Whether the task is a member of a [`TaskGroup`](crate::TaskGroup) whose scope is still
    /// watching it (the task dump marks it `group`).
    ///
    /// ```
    /// use asyncio_core::{run, task_group, yield_now, Error};
    ///
    /// run(task_group(|tg| async move {
    ///     let member = tg.create_task(yield_now())?;
    ///     assert!(member.in_group());
    ///     member.await?;
    ///     Ok::<_, Error>(())
    /// }))
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn in_group(&self) -> bool {
        self.ptr.local().awaiters.any_group_member()
    }

    /// An identifier, unique among live tasks.
    pub fn id(&self) -> usize {
        self.ptr.as_raw() as usize
    }
}

impl Clone for TaskRef {
    fn clone(&self) -> Self {
        TaskRef::from_ptr(self.ptr)
    }
}

impl Drop for TaskRef {
    fn drop(&mut self) {
        // SAFETY: a `TaskRef` is `!Send`, so this is the loop thread; the handle's reference is
        // not used after this.
        unsafe { self.ptr.release_local() };
    }
}

impl PartialEq for TaskRef {
    fn eq(&self, other: &Self) -> bool {
        self.ptr == other.ptr
    }
}

impl Eq for TaskRef {}

impl fmt::Debug for TaskRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Task {}>", self.name())
    }
}

/// The owning handle of a task whose future returns `O`: await it for the task's result.
///
/// Derefs to [`TaskRef`] for `cancel()`, `done()` and the rest.
///
/// ```
/// use asyncio_core::{create_task, run, sleep_ms, Error};
///
/// let out = run(async {
///     let t = create_task(async {
///         sleep_ms(5).await?;
///         Ok::<u32, Error>(42)
///     });
///     assert!(!t.done());
///     t.await
/// });
/// assert_eq!(out.unwrap(), Ok(42));
/// ```
#[must_use = "the task runs even if its handle is dropped: bind it (`let _task = ...`) if that is the intent"]
pub struct Task<O> {
    task: TaskRef,
    _output: PhantomData<fn() -> O>,
}

impl<O> Task<O> {
    pub(crate) fn adopt(ptr: TaskPtr) -> Self {
        Task {
            task: TaskRef::adopt(ptr),
            _output: PhantomData,
        }
    }

    /// An untyped, shareable handle to the same task.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, TaskRef};
    ///
    /// run(async {
    ///     let t = create_task(async { Ok::<_, asyncio_core::Error>(7) });
    ///     let watcher: TaskRef = t.to_ref(); // look at it after the handle is awaited
    ///     assert_eq!(t.await, Ok(7));
    ///     assert!(watcher.done());
    /// })
    /// .unwrap();
    /// ```
    pub fn to_ref(&self) -> TaskRef {
        self.task.clone()
    }

    /// Takes the finished task's result (`Err(Error::Cancelled)` if it was cancelled or its
    /// result already taken).
    pub(crate) fn take_result(&self) -> Result<O::Ok, O::Err>
    where
        O: TaskOutput,
    {
        let task = self.task.ptr;
        let mut output: Option<O> = None;
        // SAFETY: `Task<O>` was created for a future returning `O`; loop thread.
        unsafe {
            (task.header().vtable.take_output)(task, &mut output as *mut Option<O> as *mut ())
        };
        match output {
            Some(output) => output.into_result(),
            None => Err(Error::Cancelled.into()),
        }
    }
}

/// A clone of the error of the finished task `task` (`None` if it succeeded, or if its result
/// was taken), leaving the result in place.
///
/// # Safety
/// `task`'s future must return `O`.
pub(crate) unsafe fn copy_error<O: TaskOutput>(task: &TaskRef) -> Option<O::Err>
where
    O::Err: Clone,
{
    let ptr = task.ptr;
    // SAFETY: the handle keeps the task alive; loop thread.
    let output = unsafe { (ptr.header().vtable.output)(ptr) } as *const O;
    // SAFETY: the caller guarantees the output type; it stays in place while borrowed here.
    unsafe { output.as_ref() }.and_then(|output| output.error().cloned())
}

impl<O> Task<O> {
    /// Turns the owning handle into a shared one: every awaiter of the [`SharedTask`] (and of
    /// its clones) gets the task's result, each a clone of it, as in Python, where any number
    /// of tasks may `await` one task for its value.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, sleep_ms, Error};
    ///
    /// let out = run(async {
    ///     let frame = create_task(async {
    ///         sleep_ms(10).await?;
    ///         Ok::<_, Error>(vec![1u8, 2, 3])
    ///     })
    ///     .share();
    ///     let uploader = create_task({
    ///         let frame = frame.clone();
    ///         async move { Ok::<_, Error>(frame.await?.len()) }
    ///     });
    ///     let checksum: u32 = frame.await?.iter().map(|&b| u32::from(b)).sum();
    ///     Ok::<_, Error>((checksum, uploader.await?))
    /// });
    /// assert_eq!(out.unwrap(), Ok((6, 3)));
    /// ```
    pub fn share(self) -> SharedTask<O> {
        SharedTask {
            task: self.task,
            _output: PhantomData,
        }
    }
}

/// A task whose result each awaiter gets a clone of (from [`Task::share`]); cheap to clone,
/// derefs to [`TaskRef`]. Awaiting it is a [`SharedJoin`](crate::SharedJoin); a failure
/// received by an awaiter counts as retrieved, as when a [`Task`] is awaited. Dropping one
/// while waiting leaves the task running (others may still wait for it).
///
/// ```
/// use asyncio_core::{create_task, run, Error, SharedTask};
///
/// let out = run(async {
///     let config: SharedTask<Result<u32, Error>> =
///         create_task(async { Ok::<_, Error>(115_200) }).share();
///     // Two tasks wait for the same configuration.
///     let uart = create_task({
///         let config = config.clone();
///         async move { config.await }
///     });
///     let baud = config.await?;
///     Ok::<_, Error>((baud, uart.await?))
/// });
/// assert_eq!(out.unwrap(), Ok((115_200, 115_200)));
/// ```
pub struct SharedTask<O> {
    task: TaskRef,
    _output: PhantomData<fn() -> O>,
}

impl<O: TaskOutput + Clone> SharedTask<O> {
    /// A clone of the finished task's result (`Err(Error::Cancelled)` if it was cancelled).
    pub(crate) fn copy_result(&self) -> Result<O::Ok, O::Err> {
        let task = self.task.ptr;
        // SAFETY: the handle keeps the task alive; loop thread.
        let output = unsafe { (task.header().vtable.output)(task) } as *const O;
        // SAFETY: a shared task was created for a future returning `O`; the output stays in
        // place for as long as the task lives (nothing takes it: there is no owning handle).
        match unsafe { output.as_ref() } {
            Some(output) => {
                task.local().lifecycle.mark_received();
                output.clone().into_result()
            }
            None => Err(Error::Cancelled.into()),
        }
    }
}

impl<O> Clone for SharedTask<O> {
    fn clone(&self) -> Self {
        SharedTask {
            task: self.task.clone(),
            _output: PhantomData,
        }
    }
}

impl<O> Deref for SharedTask<O> {
    type Target = TaskRef;

    fn deref(&self) -> &TaskRef {
        &self.task
    }
}

impl<O> fmt::Debug for SharedTask<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.task.fmt(f)
    }
}

/// So that functions over sets of tasks ([`wait`](crate::wait)) take any handle kind.
impl AsRef<TaskRef> for TaskRef {
    fn as_ref(&self) -> &TaskRef {
        self
    }
}

impl<O> AsRef<TaskRef> for Task<O> {
    fn as_ref(&self) -> &TaskRef {
        &self.task
    }
}

impl<O> AsRef<TaskRef> for SharedTask<O> {
    fn as_ref(&self) -> &TaskRef {
        &self.task
    }
}

impl<O> Deref for Task<O> {
    type Target = TaskRef;

    fn deref(&self) -> &TaskRef {
        &self.task
    }
}

impl<O> fmt::Debug for Task<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.task.fmt(f)
    }
}
