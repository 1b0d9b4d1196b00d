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

use super::join::{Awaiting, Wait};
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
            if inner.local().lifecycle.is_complete() {
                break;
            }
            target = inner;
        }
        if !target.local().lifecycle.request_cancel() {
            return false;
        }
        if let Some(core) = context::running_loop() {
            core.cancel_requested(target);
        }
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
        Awaiting::wait(self, true)
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
        self.ptr.local().name.get()
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
        self.ptr.local().name.set(name);
    }

    /// How many times the task's future has been polled.
    pub fn polls(&self) -> u32 {
        self.ptr.local().polls.get()
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
            self.ptr.local().waiting.get()
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
        let age = now.wrapping_sub(self.ptr.local().born.get());
        crate::time::ticks_to_ms(u64::from(age), core.platform().ticks_per_second())
    }

    /// Declares that the task goes on waiting after catching its cancellation on purpose (as
    /// CPython's `Task.uncancel()`), so its next await is not treated as a swallowed
    /// cancellation ([`Diagnostics`](crate::Diagnostics)). A cancel requested later is
    /// delivered as usual.
    ///
    /// ```
    /// use asyncio_core::{create_task, current_task, run, sleep_ms, yield_now, Error};
    ///
    /// let out = run(async {
    ///     let t = create_task(async {
    ///         if sleep_ms(1000).await == Err(Error::Cancelled) {
    ///             current_task().unwrap().uncancel();
    ///             sleep_ms(10).await?; // a deliberate last wait: flush, say goodbye
    ///         }
    ///         Ok::<_, Error>("flushed")
    ///     });
    ///     yield_now().await?;
    ///     t.cancel();
    ///     t.await
    /// });
    /// assert_eq!(out.unwrap(), Ok("flushed"));
    /// ```
    pub fn uncancel(&self) {
        self.ptr.local().lifecycle.uncancel();
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
