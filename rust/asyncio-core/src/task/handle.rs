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
use super::waiting::Waiting;
use crate::context;
use crate::error::{Error, TaskOutput};
use crate::raw::cell::Outcome;
use crate::raw::header::{flags, TaskPtr};

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

    /// Waits until the task has finished, without taking its result: any number of tasks may
    /// wait for one task this way (Python's `await task` from several tasks). As with awaiting
    /// a task, cancelling the waiting task is forwarded to this one.
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

    /// What the task is waiting for: [`Waiting::Ready`] while it is queued or running,
    /// [`Waiting::Done`] once finished, else what the primitive it awaits noted.
    pub fn waiting(&self) -> Waiting {
        let running = context::running_loop().and_then(|core| core.current_task());
        if self.done() {
            Waiting::Done
        } else if self.ptr.header().state.is_scheduled() || running == Some(self.ptr) {
            Waiting::Ready
        } else {
            self.ptr.local().waiting.get()
        }
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
        task.local().set(flags::RETRIEVED);
        match output {
            Some(output) => output.into_result(),
            None => Err(Error::Cancelled.into()),
        }
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
