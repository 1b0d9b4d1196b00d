//! Task handles: [`create_task`], [`Task`], [`TaskRef`], [`current_task`].
//!
//! A [`Task<O>`] is the unique owner of a task's result: awaiting it (which consumes it) yields
//! the result once, so a value never has to be cloned. [`TaskRef`] is the shareable, untyped
//! handle: cancel it, ask whether it is done, compare it with [`current_task`].
//!
//! Dropping a handle does not stop the task (as in asyncio): an unfinished task belongs to the
//! loop until it ends.

use core::fmt;
use core::future::{Future, IntoFuture};
use core::marker::{PhantomData, PhantomPinned};
use core::ops::Deref;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::context;
use crate::error::{Error, TaskOutput};
use crate::raw::header::{flags, TaskPtr};
use crate::raw::wait_list::{NodeState, WaitNode};

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
    /// `Err(Error::Cancelled)`; it may clean up (awaiting is allowed) and should then end. If the task
    /// is awaiting another task, the request is passed on to the innermost task it awaits,
    /// which decides for both. A task may cancel itself (as in CPython; MicroPython raises).
    ///
    /// Returns `false` if the task had already finished.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, sleep_ms, Error};
    ///
    /// run(async {
    ///     let t = create_task(async {
    ///         sleep_ms(10_000).await?;
    ///         Ok::<_, Error>("woke up")
    ///     });
    ///     sleep_ms(1).await.unwrap();
    ///     assert!(t.cancel());
    ///     assert_eq!(t.await, Err(Error::Cancelled));
    /// })
    /// .unwrap();
    /// ```
    pub fn cancel(&self) -> bool {
        if self.done() {
            return false;
        }
        let mut target = self.ptr;
        while let Some(inner) = target.local().awaiting.get() {
            if inner.local().has(flags::COMPLETE) {
                break;
            }
            target = inner;
        }
        target.local().set(flags::CANCEL_REQUESTED);
        target.wake_by_ref();
        true
    }

    /// Whether the task has finished (returned, failed or been cancelled).
    pub fn done(&self) -> bool {
        self.ptr.local().has(flags::COMPLETE)
    }

    /// Whether the task finished by being cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.ptr.local().has(flags::CANCELLED)
    }

    /// The task's name: the one given with [`set_name`](Self::set_name), else the type name of
    /// its future (which names the `async fn` it came from).
    pub fn name(&self) -> &'static str {
        self.ptr.local().name.get()
    }

    /// Names the task, for logs and task listings.
    pub fn set_name(&self, name: &'static str) {
        self.ptr.local().name.set(name);
    }

    /// How many times the task's future has been polled.
    pub fn polls(&self) -> u32 {
        self.ptr.local().polls.get()
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
    pub fn to_ref(&self) -> TaskRef {
        self.task.clone()
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

impl<O: TaskOutput> IntoFuture for Task<O> {
    type Output = Result<O::Ok, O::Err>;
    type IntoFuture = Join<O>;

    fn into_future(self) -> Join<O> {
        Join {
            task: self,
            node: WaitNode::new(),
            awaiter: None,
            _pin: PhantomPinned,
        }
    }
}

/// The future of awaiting a [`Task`]: the task's result, or `Err(Error::Cancelled)` if the *awaiting*
/// task is cancelled first (the awaited task's result is then left in it).
#[must_use = "futures do nothing unless awaited"]
pub struct Join<O> {
    task: Task<O>,
    node: WaitNode,
    /// The task doing the awaiting, registered so that cancelling it reaches `task`.
    awaiter: Option<TaskPtr>,
    _pin: PhantomPinned,
}

impl<O> Join<O> {
    fn unregister(&mut self) {
        let target = self.task.ptr();
        target.local().awaiters.remove(&self.node);
        if let Some(awaiter) = self.awaiter.take() {
            if awaiter.local().awaiting.get() == Some(target) {
                awaiter.local().awaiting.set(None);
            }
        }
    }
}

impl<O: TaskOutput> Future for Join<O> {
    type Output = Result<O::Ok, O::Err>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: nothing is moved out of `this`; the node stays where it was pinned.
        let this = unsafe { self.get_unchecked_mut() };
        let target = this.task.ptr();
        let core = context::current_loop();
        if core.take_cancel() {
            this.unregister();
            return Poll::Ready(Err(Error::Cancelled.into()));
        }
        if target.local().has(flags::COMPLETE) {
            this.unregister();
            let mut output: Option<O> = None;
            // SAFETY: `Task<O>` was created for a future returning `O`; loop thread.
            unsafe {
                (target.header().vtable.take_output)(
                    target,
                    &mut output as *mut Option<O> as *mut (),
                )
            };
            target.local().set(flags::RETRIEVED);
            return Poll::Ready(match output {
                Some(output) => output.into_result(),
                None => Err(Error::Cancelled.into()),
            });
        }
        if this.node.state() == NodeState::Waiting {
            this.node.set_waker(cx.waker());
        } else {
            this.node.reset();
            // SAFETY: the node is pinned inside this future and unlinked in `Drop`.
            unsafe {
                target
                    .local()
                    .awaiters
                    .push_back(Pin::new_unchecked(&this.node), cx.waker())
            };
            if let Some(current) = core.current_task() {
                current.local().awaiting.set(Some(target));
                this.awaiter = Some(current);
            }
        }
        Poll::Pending
    }
}

impl<O> Drop for Join<O> {
    fn drop(&mut self) {
        self.unregister();
    }
}

/// Schedules `future` as a new task on the current thread's loop and returns its handle.
///
/// The task starts at the loop's next round (after the tasks already ready). It may be created
/// before the loop runs; it then starts when the loop does. The future need not be `Send`.
///
/// ```
/// use asyncio_core::{create_task, run, sleep_ms, Error};
///
/// async fn double(x: u32) -> Result<u32, Error> {
///     sleep_ms(1).await?;
///     Ok(x * 2)
/// }
///
/// let out = run(async { create_task(double(21)).await }).unwrap();
/// assert_eq!(out, Ok(42));
/// ```
pub fn create_task<F>(future: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: TaskOutput,
{
    crate::get_event_loop().create_task(future)
}

/// The task running now, or `None` outside a task (Python raises `RuntimeError` there).
///
/// ```
/// use asyncio_core::{current_task, run};
///
/// assert!(current_task().is_none());
/// run(async { assert!(current_task().is_some()) }).unwrap();
/// ```
pub fn current_task() -> Option<TaskRef> {
    let core = context::running_loop()?;
    core.current_task().map(TaskRef::from_ptr)
}
