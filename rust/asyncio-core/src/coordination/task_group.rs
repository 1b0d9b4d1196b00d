//! [`task_group`]: structured concurrency (CPython 3.11's `asyncio.TaskGroup`). Tasks spawned
//! into a group never outlive the scope that runs it.
//!
//! The scope runs a body in the calling task, then waits for every member. A member's failure
//! cancels the others and the body (in place: they see `Err(Error::Cancelled)` and may clean
//! up), and the scope returns every error that was not a cancellation. A cancellation of the
//! calling task cancels the members, waits for them, and is passed on.

extern crate alloc;

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use pin_project_lite::pin_project;

use crate::context;
use crate::error::{Error, TaskError, TaskOutput};
use crate::raw::wait_list::Inbox;
use crate::task::{copy_error, current_task, note_waiting, try_create_task, Completion, Task};
use crate::task::{TaskRef, Waiting};

/// Runs `body` with a new [`TaskGroup`], then waits for every task spawned into it (CPython's
/// `async with asyncio.TaskGroup() as tg:`).
///
/// `body` receives the group (a cheap handle: clone it into members that spawn more) and runs
/// in the calling task. The scope returns the body's value once the body and every member have
/// finished, or:
/// - `Err(GroupError::Failed(errors))` if the body or any member failed: the first failure
///   cancels the other members and the body, which may clean up (awaiting as they need) and
///   are waited for; `errors` holds every error that was not a cancellation, in the order they
///   happened;
/// - `Err(GroupError::Cancelled)` if the calling task was cancelled (from outside, or by an
///   enclosing [`timeout`](crate::timeout)): the members are cancelled and waited for, then the
///   cancellation is passed on. Failures take precedence, as in CPython.
///
/// A member cancelled on its own (not by the group) is not a failure. A scope that is dropped
/// before it finishes (not awaited to its end) aborts its members: their `Drop` code runs,
/// no async cleanup. Either way no member outlives the scope, and once it has finished the
/// group takes no more tasks ([`Error::GroupClosed`]).
///
/// ```
/// use asyncio_core::{run, sleep_ms, task_group, Error, GroupError, Result};
///
/// async fn sensor(ms: u32, reading: Result<u32>) -> Result<u32> {
///     sleep_ms(ms).await?;
///     reading
/// }
///
/// run(async {
///     // Both succeed: the scope ends when both have.
///     let sum = task_group(|tg| async move {
///         let a = tg.create_task(sensor(10, Ok(1)))?;
///         let b = tg.create_task(sensor(20, Ok(2)))?;
///         Ok(a.await? + b.await?)
///     });
///     assert_eq!(sum.await, Ok(3));
///
///     // One fails: the other is cancelled, and the scope reports the failure.
///     let failed = task_group(|tg| async move {
///         tg.spawn(sensor(10, Err(Error::ValueError)))?;
///         tg.spawn(sensor(1000, Ok(2)))?;
///         sleep_ms(5000).await?; // cancelled by the failure
///         Ok(())
///     });
///     assert_eq!(failed.await, Err(GroupError::Failed(vec![Error::ValueError])));
/// })
/// .unwrap();
/// ```
pub fn task_group<E, B, F, T>(body: B) -> GroupScope<F, E>
where
    E: TaskError + Clone,
    B: FnOnce(TaskGroup<E>) -> F,
    F: Future<Output = Result<T, E>>,
{
    let group = TaskGroup {
        inner: Rc::new(Inner::new()),
    };
    GroupScope {
        body: body(group.clone()),
        group,
        body_output: None,
        entered: false,
        parent: None,
        cancelling: 0,
        cancelled_parent: false,
        cancelled: false,
    }
}

/// What a [`task_group`] scope returns when it does not succeed: CPython's `ExceptionGroup`,
/// or the `CancelledError` it passes on.
///
/// ```
/// use asyncio_core::{create_task, run, sleep_ms, task_group, yield_now, Error, GroupError};
///
/// run(async {
///     let scope = create_task(task_group(|tg| async move {
///         tg.spawn(sleep_ms(1000))?;
///         Ok::<_, Error>(())
///     }));
///     yield_now().await?;
///     scope.cancel(); // the member is cancelled too, and waited for
///     assert_eq!(scope.await, Err(GroupError::Cancelled));
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum GroupError<E = Error> {
    /// The calling task was cancelled; the members were cancelled too, and have finished.
    Cancelled,
    /// The body or members failed: every error that was not a cancellation, in the order they
    /// happened (never empty).
    Failed(Vec<E>),
}

impl<E> GroupError<E> {
    /// The errors (none for a cancellation).
    ///
    /// ```
    /// use asyncio_core::{Error, GroupError};
    ///
    /// let failed = GroupError::Failed(vec![Error::Timeout, Error::ValueError]);
    /// assert_eq!(failed.errors(), [Error::Timeout, Error::ValueError]);
    /// assert!(GroupError::<Error>::Cancelled.errors().is_empty());
    /// ```
    pub fn errors(&self) -> &[E] {
        match self {
            GroupError::Cancelled => &[],
            GroupError::Failed(errors) => errors,
        }
    }
}

impl<E: TaskError> From<Error> for GroupError<E> {
    /// `?` on a loop primitive inside a body whose error type is a `GroupError`.
    fn from(e: Error) -> Self {
        if e.is_cancelled() {
            GroupError::Cancelled
        } else {
            GroupError::Failed(alloc::vec![e.into()])
        }
    }
}

impl<E: TaskError> TaskError for GroupError<E> {
    fn is_cancelled(&self) -> bool {
        matches!(self, GroupError::Cancelled)
    }
}

impl From<GroupError> for Error {
    /// The cancellation, or the first error (for `?` into code that returns [`Error`]; match
    /// the `GroupError` to see them all).
    fn from(e: GroupError) -> Self {
        e.errors().first().copied().unwrap_or(Error::Cancelled)
    }
}

impl<E: fmt::Display> fmt::Display for GroupError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupError::Cancelled => f.write_str("task was cancelled"),
            GroupError::Failed(errors) => {
                write!(f, "{} error(s) in a task group", errors.len())?;
                errors.iter().try_for_each(|e| write!(f, "; {e}"))
            }
        }
    }
}

/// The handle of a task group, given to the body of [`task_group`]: spawn tasks into it.
/// Cheap to clone (a reference count); members may hold a clone to spawn more.
///
/// ```
/// use asyncio_core::{run, sleep_ms, task_group, Error};
///
/// let out = run(task_group(|tg| async move {
///     let spawner = tg.clone();
///     tg.spawn(async move {
///         // A member spawns a sibling; the scope waits for it too.
///         spawner.spawn(sleep_ms(10))?;
///         Ok::<_, Error>(())
///     })?;
///     Ok::<_, Error>(tg.len())
/// }));
/// assert_eq!(out.unwrap(), Ok(1)); // one member when the body ended, two waited for
/// ```
pub struct TaskGroup<E = Error> {
    inner: Rc<Inner<E>>,
}

impl<E> Clone for TaskGroup<E> {
    fn clone(&self) -> Self {
        TaskGroup {
            inner: self.inner.clone(),
        }
    }
}

impl<E> TaskGroup<E> {
    /// How many members have not finished (or not been seen to finish) yet.
    pub fn len(&self) -> usize {
        self.inner.members.borrow().len()
    }

    /// Whether no member is left unfinished.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<E> fmt::Debug for TaskGroup<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskGroup")
            .field("members", &self.len())
            .field("phase", &self.inner.phase.get())
            .finish()
    }
}

impl<E: TaskError + Clone> TaskGroup<E> {
    /// Spawns `future` as a member task (CPython's `tg.create_task(coro)` with the task left
    /// to the group), which the scope waits for.
    ///
    /// # Errors
    /// As [`create_task`](Self::create_task).
    ///
    /// ```
    /// use asyncio_core::{run, sleep_ms, task_group, Error};
    ///
    /// let out = run(task_group(|tg| async move {
    ///     for ms in [10, 20, 30] {
    ///         tg.spawn(sleep_ms(ms))?;
    ///     }
    ///     Ok::<_, Error>(())
    /// }));
    /// assert_eq!(out.unwrap(), Ok(())); // after 30 ms: the scope waited for all three
    /// ```
    pub fn spawn<F>(&self, future: F) -> Result<(), Error>
    where
        F: Future + 'static,
        F::Output: TaskOutput<Err = E>,
    {
        self.create_task(future).map(drop)
    }

    /// Spawns `future` as a member task (CPython's `tg.create_task`) and returns its handle:
    /// awaiting it gives its result as for any task, and the group keeps watching it.
    ///
    /// # Errors
    /// [`Error::GroupClosed`] once the group has finished, or while it is cancelling its
    /// members (a failure or a cancellation happened); [`Error::NoMemory`] if the heap has no
    /// room for the task. `future` is dropped then.
    ///
    /// ```
    /// use asyncio_core::{run, task_group, Error};
    ///
    /// let out = run(task_group(|tg| async move {
    ///     let answer = tg.create_task(async { Ok::<_, Error>(42) })?;
    ///     answer.await
    /// }));
    /// assert_eq!(out.unwrap(), Ok(42));
    /// ```
    pub fn create_task<F>(&self, future: F) -> Result<Task<F::Output>, Error>
    where
        F: Future + 'static,
        F::Output: TaskOutput<Err = E>,
    {
        if self.inner.phase.get() != Phase::Open {
            return Err(Error::GroupClosed);
        }
        let task = try_create_task(future)?;
        let member = Member {
            task: task.to_ref(),
            completion: Box::pin(Completion::for_group(task.ptr())),
            error_of: copy_error::<F::Output>,
        };
        // SAFETY: the inbox lives in the group's shared part, which outlives its members (they
        // are dropped first, and the inbox is not popped after they go).
        let inbox = unsafe { Pin::new_unchecked(&self.inner.inbox) };
        let already_done = member.completion.as_ref().report_to(inbox);
        debug_assert!(!already_done, "a new task has not finished");
        self.inner.members.borrow_mut().push(member);
        Ok(task)
    }
}

/// Where a group is in its life.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    /// Takes members.
    Open,
    /// A failure or a cancellation happened: the members are being cancelled.
    Aborting,
    /// The scope has finished (or was dropped).
    Closed,
}

/// A member: its task, the registration that reports its end to the group's inbox, and how to
/// copy its error (typed by its output, which the group does not know).
struct Member<E> {
    task: TaskRef,
    completion: Pin<Box<Completion>>,
    error_of: unsafe fn(&TaskRef) -> Option<E>,
}

/// The part of a group its handles share.
struct Inner<E> {
    // Declared before `inbox`, so their registrations go before it.
    members: RefCell<Vec<Member<E>>>,
    inbox: Inbox,
    errors: RefCell<Vec<E>>,
    phase: Cell<Phase>,
}

impl<E: TaskError + Clone> Inner<E> {
    fn new() -> Self {
        Inner {
            members: RefCell::new(Vec::new()),
            inbox: Inbox::new(),
            errors: RefCell::new(Vec::new()),
            phase: Cell::new(Phase::Open),
        }
    }

    /// Takes the members whose end was reported; a failure among them starts the abort.
    /// Whether one failed.
    fn collect_finished(&self) -> bool {
        let mut failed = false;
        while let Some(node) = self.inbox.pop() {
            let member = {
                let mut members = self.members.borrow_mut();
                let i = members
                    .iter()
                    .position(|m| m.completion.owns(node))
                    .expect("task group: a foreign node in the inbox");
                // In spawn order, so that an abort cancels them in the order they came.
                members.remove(i)
            };
            if member.task.ptr().local().lifecycle.ended_failed() {
                // SAFETY: `error_of` was made for this member's output type.
                let error = unsafe { (member.error_of)(&member.task) };
                // A member whose handle took its error before the group looked: the failure
                // counts all the same.
                let error = error.unwrap_or_else(|| Error::TaskFailed.into());
                self.errors.borrow_mut().push(error);
                failed = true;
            }
        }
        if failed {
            self.abort();
        }
        failed
    }

    /// CPython's `_abort`: cancels every unfinished member and takes no more. Once only: a
    /// later failure or cancellation does not cancel again the members already cleaning up.
    fn abort(&self) {
        if self.phase.get() != Phase::Open {
            return;
        }
        self.phase.set(Phase::Aborting);
        for member in self.members.borrow().iter() {
            member.task.cancel();
        }
    }

    /// Records an error of the body and starts the abort.
    fn body_failed(&self, error: E) {
        self.errors.borrow_mut().push(error);
        self.abort();
    }
}

pin_project! {
    /// The future of [`task_group`]: awaiting it runs the body, then waits for the members.
    ///
    /// ```
    /// use asyncio_core::{run, sleep_ms, task_group, Error, GroupError};
    ///
    /// let out = run(async {
    ///     let scope = task_group(|tg| async move {
    ///         tg.spawn(sleep_ms(10))?;
    ///         Err::<(), _>(Error::ValueError) // the body fails: the member is cancelled
    ///     });
    ///     scope.await
    /// });
    /// assert_eq!(out.unwrap(), Err(GroupError::Failed(vec![Error::ValueError])));
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct GroupScope<F: Future, E> {
        #[pin]
        body: F,
        group: TaskGroup<E>,
        // The body's output, once it has finished.
        body_output: Option<F::Output>,
        // The calling task, from the first poll (if there is one), and its cancellation
        // requests then.
        entered: bool,
        parent: Option<TaskRef>,
        cancelling: usize,
        // The group cancelled the calling task to stop the body (a member failed).
        cancelled_parent: bool,
        // The calling task was cancelled: passed on at the end, unless a failure was.
        cancelled: bool,
    }

    impl<F: Future, E> PinnedDrop for GroupScope<F, E> {
        fn drop(this: Pin<&mut Self>) {
            // Closed: the scope finished (its members too).
            if this.group.inner.phase.get() != Phase::Closed {
                this.group.inner.close_dropped();
                if this.cancelled_parent {
                    // The cancellation it made to stop the body is its own to take back.
                    this.parent.as_ref().map(TaskRef::uncancel);
                }
            }
        }
    }
}

impl<E> Inner<E> {
    /// A scope dropped before it finished: nobody will wait for the members, so they are
    /// aborted (their futures dropped) now.
    fn close_dropped(&self) {
        self.phase.set(Phase::Closed);
        let members = core::mem::take(&mut *self.members.borrow_mut());
        for member in &members {
            member.task.abort();
        }
        // Their ends were reported here: drop the reports before the registrations go.
        while self.inbox.pop().is_some() {}
        drop(members);
    }
}

impl<F, T, E> Future for GroupScope<F, E>
where
    F: Future<Output = Result<T, E>>,
    E: TaskError + Clone,
{
    type Output = Result<T, GroupError<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let inner = &*this.group.inner;
        if !*this.entered {
            // Outside any task (a foreign executor) there is nobody to cancel in place: the
            // body is then only stopped at its end.
            *this.entered = true;
            *this.parent = current_task();
            *this.cancelling = this.parent.as_ref().map_or(0, TaskRef::cancelling);
        }
        inner.inbox.set_waker(cx.waker());
        if this.body_output.is_none() {
            // A member that failed since the last poll stops the body, in place.
            if inner.collect_finished() && !*this.cancelled_parent {
                *this.cancelled_parent = true;
                this.parent.as_ref().map(TaskRef::cancel);
            }
            let out = match this.body.poll(cx) {
                Poll::Ready(out) => out,
                Poll::Pending => {
                    return Poll::Pending;
                }
            };
            match &out {
                Err(e) if e.is_cancelled() => {
                    *this.cancelled = true;
                    inner.abort();
                }
                Err(e) => inner.body_failed(e.clone()),
                Ok(_) => {}
            }
            *this.body_output = Some(out);
        }
        // Waiting for the members: a cancellation of the calling task cancels them (once).
        if context::take_cancel() && !*this.cancelled {
            *this.cancelled = true;
            inner.abort();
        }
        inner.collect_finished();
        if !inner.members.borrow().is_empty() {
            note_waiting(Waiting::On("TaskGroup"));
            return Poll::Pending;
        }
        inner.phase.set(Phase::Closed);
        let uncancelled = match this.parent.as_ref() {
            Some(parent) if *this.cancelled_parent => parent.uncancel() <= *this.cancelling,
            _ => false,
        };
        if uncancelled {
            // Only the group's own cancellation: nothing to pass on.
            *this.cancelled = false;
        }
        let errors = core::mem::take(&mut *inner.errors.borrow_mut());
        Poll::Ready(if !errors.is_empty() {
            Err(GroupError::Failed(errors))
        } else if *this.cancelled {
            Err(GroupError::Cancelled)
        } else {
            match this.body_output.take().expect("the body has finished") {
                Ok(value) => Ok(value),
                // The body ended with the group's own cancellation, which was taken back.
                Err(_) => Err(GroupError::Cancelled),
            }
        })
    }
}
