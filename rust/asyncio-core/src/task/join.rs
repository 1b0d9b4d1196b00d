//! Waiting for a task to finish: [`Join`] (awaiting a [`Task`], which yields its result),
//! [`SharedJoin`] (awaiting a [`SharedTask`], which yields a clone of it) and [`Wait`] (waiting
//! through a [`TaskRef`], which says how the task ended), each a [`Waiter`] on the task's
//! awaiter list with the [`Awaiting`] policy, which `wait_for` uses too; and the
//! [`Completion`] with which `gather` watches many tasks through one inbox.

use core::cell::Cell;
use core::future::{Future, IntoFuture};
use core::marker::{PhantomData, PhantomPinned};
use core::pin::Pin;
use core::task::{Context, Poll};

use pin_project_lite::pin_project;

use super::handle::{SharedTask, Task, TaskRef};
use super::IntoTask;
use crate::context;
use crate::error::{Error, Result, TaskOutput};
use crate::raw::header::TaskPtr;
use crate::raw::wait_list::{Inbox, WaitList, WaitNode};
use crate::sync::{WaitPolicy, Waiter};
use crate::waiting::Waiting;

/// What a task waiting for another does with it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Role {
    /// Watches it end (`TaskRef::wait`): takes nothing, and leaving stops nothing.
    Watch,
    /// Owns it (`Join`, `WaitFor`): takes its result, and a wait abandoned before the end
    /// (the future dropped, say by a timeout) cancels it, so that no task is left running that
    /// nobody can observe.
    Own,
    /// Shares it (`SharedJoin`): takes a copy of its result; others may still wait.
    Share,
    /// Shields it ([`shield`](crate::shield)): takes its result, but neither a cancellation of
    /// the waiting task nor an abandoned wait reaches it.
    Shield,
}

/// A task's wait for another task to finish (see [`Waiter`]).
///
/// With `forward`, the waiting task is recorded as awaiting the target while it waits, so that
/// cancelling it is passed on to the target (MicroPython's `await task`). `wait_for` with a
/// deadline does not forward: it cancels the target itself.
#[doc(hidden)]
pub struct Awaiting<'a> {
    target: TaskPtr,
    role: Role,
    forward: bool,
    /// The task recorded as awaiting `target`, while it is.
    awaiter: Cell<Option<TaskPtr>>,
    _handle: PhantomData<&'a TaskRef>,
}

impl<'a> Awaiting<'a> {
    /// The wait of a watcher for the task `target` is a handle of, for as long as the borrow
    /// lasts.
    pub(crate) fn watch(target: &'a TaskRef) -> Waiter<Awaiting<'a>> {
        Self::unbound(target.ptr(), Role::Watch, true)
    }

    /// The wait for `target` without a borrow: only for futures that own a handle of the target
    /// and drop it after the wait (`Join`, `SharedJoin`, `WaitFor`).
    pub(crate) fn unbound(target: TaskPtr, role: Role, forward: bool) -> Waiter<Awaiting<'a>> {
        Waiter::new(Awaiting {
            target,
            role,
            forward,
            awaiter: Cell::new(None),
            _handle: PhantomData,
        })
    }

    /// Stops recording the waiting task as awaiting the target.
    fn unlink(&self) {
        if let Some(awaiter) = self.awaiter.take() {
            if awaiter.local().awaiting.get() == Some(self.target) {
                awaiter.local().awaiting.set(None);
            }
        }
    }

    /// How the target ended, as a watcher reports it: `Ok` if it succeeded.
    fn outcome(&self) -> Result<()> {
        let lifecycle = &self.target.local().lifecycle;
        if lifecycle.ended_cancelled() {
            Err(Error::Cancelled)
        } else if lifecycle.ended_failed() {
            Err(Error::TaskFailed)
        } else {
            Ok(())
        }
    }
}

impl WaitPolicy for Awaiting<'_> {
    type Output = ();

    fn list(&self) -> &WaitList {
        &self.target.local().awaiters
    }

    fn waiting(&self) -> Waiting {
        Waiting::Task(self.target.name())
    }

    fn try_now(&self) -> Result<Option<()>> {
        Ok(self.target.local().lifecycle.is_complete().then_some(()))
    }

    fn queued(&self) {
        if !self.forward {
            return;
        }
        if let Some(current) = context::running_loop().and_then(|l| l.current_task()) {
            current.local().awaiting.set(Some(self.target));
            self.awaiter.set(Some(current));
        }
    }

    fn takes_result(&self) -> bool {
        self.role != Role::Watch
    }

    fn accept(&self) {
        self.unlink();
    }

    fn forfeit(&self) {
        self.unlink();
    }

    fn leave(&self, _was_head: bool) {
        self.unlink();
        if self.role == Role::Own {
            TaskRef::cancel_ptr(self.target);
        }
    }
}

/// Registration to be reported in an [`Inbox`] when a task finishes: how `gather` watches its
/// children. Checks no cancellation itself: gather decides what one means for its children.
/// (`pub` only so that [`Children`](crate::Children) may name where its completions live;
/// nothing outside the crate can make or use one.)
#[doc(hidden)]
pub struct Completion {
    target: TaskPtr,
    node: WaitNode,
    _pin: PhantomPinned,
}

impl Completion {
    /// A registration for `target`, whose owner must keep a reference to it and takes its
    /// result.
    pub(crate) fn new(target: TaskPtr) -> Self {
        let node = WaitNode::new();
        node.mark_takes_result();
        Completion {
            target,
            node,
            _pin: PhantomPinned,
        }
    }

    /// A registration for `target` as a task group's member (shown as such in the task dump).
    pub(crate) fn for_group(target: TaskPtr) -> Self {
        let completion = Self::new(target);
        completion.node.mark_group_member();
        completion
    }

    pub(crate) fn is_done(&self) -> bool {
        self.target.local().lifecycle.is_complete()
    }

    /// Registers to be reported in `inbox` when the target finishes, unless it has already
    /// finished; returns whether it had.
    pub(crate) fn report_to(self: Pin<&Self>, inbox: Pin<&Inbox>) -> bool {
        let this = self.get_ref();
        if this.is_done() {
            return true;
        }
        this.node.reset();
        // SAFETY: the node is pinned inside this completion, unlinked in `Drop`; the inbox
        // belongs to the completion's owner, which drops both together.
        unsafe {
            this.target
                .local()
                .awaiters
                .push_back_reporting(Pin::new_unchecked(&this.node), inbox)
        };
        false
    }

    /// Whether `node`, popped from an [`Inbox`], is this registration's.
    pub(crate) fn owns(&self, node: *const WaitNode) -> bool {
        core::ptr::eq(&self.node, node)
    }

    /// Which of `all` a node popped from an [`Inbox`] belongs to.
    pub(crate) fn position_in(all: &[Completion], node: *const WaitNode) -> Option<usize> {
        let first = all.as_ptr() as usize + core::mem::offset_of!(Completion, node);
        let offset = (node as usize).checked_sub(first)?;
        let i = offset / core::mem::size_of::<Completion>();
        (offset % core::mem::size_of::<Completion>() == 0 && i < all.len()).then_some(i)
    }

    pub(crate) fn unregister(&self) {
        self.target.local().awaiters.remove(&self.node);
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        self.unregister();
    }
}

impl<O: TaskOutput> IntoFuture for Task<O> {
    type Output = core::result::Result<O::Ok, O::Err>;
    type IntoFuture = Join<O>;

    fn into_future(self) -> Join<O> {
        Join::new(self, Role::Own)
    }
}

impl<O> Join<O> {
    fn new(task: Task<O>, role: Role) -> Self {
        // The handle beside the wait keeps the target alive, and is dropped after it.
        let forward = role != Role::Shield;
        let wait = Awaiting::unbound(task.ptr(), role, forward);
        Join { wait, task }
    }
}

/// Awaits `aw` (a future, run as a task, or a [`Task`]) without letting a cancellation of the
/// awaiting task reach it (Python's `asyncio.shield`).
///
/// If the awaiting task is cancelled, the shielded task runs on and the await returns
/// `Err(Error::Cancelled)` at once; so does dropping the await. The task's result is then
/// nobody's: a failure goes to the exception handler. Keep another handle (a
/// [`TaskRef`], or [`Task::share`]) to look at it later. Cancelling the shielded task itself
/// still cancels it, and the await then returns `Err(Error::Cancelled)` too.
///
/// ```
/// use asyncio_core::{create_task, run, shield, sleep_ms, yield_now, Error};
///
/// run(async {
///     let save = create_task(async { sleep_ms(20).await.map(|()| "saved") });
///     let watch = save.to_ref();
///     let caller = create_task(async move { shield(save).await });
///     yield_now().await?;
///     caller.cancel();
///     assert_eq!(caller.await, Err(Error::Cancelled)); // the caller gave up...
///     assert!(!watch.done());
///     watch.wait().await?; // ...the save went on and finished
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub fn shield<A: IntoTask>(aw: A) -> Join<A::Output> {
    Join::new(aw.into_task(), Role::Shield)
}

pin_project! {
    /// The future of awaiting a [`Task`] (and of [`shield`]): the task's result, or
    /// `Err(Error::Cancelled)` if the *awaiting* task is cancelled first (the awaited task's
    /// result is then left in it).
    ///
    /// Cancelling the awaiting task while it waits is forwarded to the awaited task, which
    /// decides for both (MicroPython and CPython do the same). Dropping the join while it waits
    /// (a `timeout_ms` around it expiring, a `select` taking another branch) cancels the task:
    /// with its only typed handle gone nobody could see its result. To wait for a task without
    /// owning it, await [`TaskRef::wait`].
    ///
    /// ```
    /// use asyncio_core::{create_task, run, Error, Join};
    /// use std::future::IntoFuture;
    ///
    /// run(async {
    ///     let t = create_task(async { Ok::<_, Error>("done") });
    ///     let joining: Join<_> = t.into_future(); // what `t.await` does
    ///     assert_eq!(joining.await, Ok("done"));
    /// })
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct Join<O> {
        // Declared before `task`, so it unregisters while the handle still keeps the task alive.
        #[pin]
        wait: Waiter<Awaiting<'static>>,
        task: Task<O>,
    }
}

impl<O: TaskOutput> Future for Join<O> {
    type Output = core::result::Result<O::Ok, O::Err>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        match this.wait.poll(cx) {
            Poll::Ready(Ok(())) => Poll::Ready(this.task.take_result()),
            Poll::Ready(Err(cancelled)) => Poll::Ready(Err(cancelled.into())),
            Poll::Pending => Poll::Pending,
        }
    }
}

pin_project! {
    /// The future of [`TaskRef::wait`]: `Ok(())` if the task succeeded,
    /// `Err(Error::Cancelled)` if it was cancelled (or the waiting task is), and
    /// `Err(Error::TaskFailed)` if it failed (its error stays for whoever takes the result,
    /// else goes to the exception handler).
    ///
    /// ```
    /// use asyncio_core::{create_task, run, sleep_ms, Error};
    ///
    /// run(async {
    ///     let t = create_task(sleep_ms(10));
    ///     let r = t.to_ref();
    ///     r.wait().await?; // any number of waiters, without the value
    ///     assert!(r.done());
    ///     Ok::<_, Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct Wait<'a> {
        #[pin]
        wait: Waiter<Awaiting<'a>>,
    }
}

impl<'a> Wait<'a> {
    pub(crate) fn new(task: &'a TaskRef) -> Self {
        Wait {
            wait: Awaiting::watch(task),
        }
    }
}

impl Future for Wait<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let mut wait = self.project().wait;
        match wait.as_mut().poll(cx) {
            Poll::Ready(Ok(())) => Poll::Ready(wait.policy().outcome()),
            other => other,
        }
    }
}

impl<O: TaskOutput + Clone> IntoFuture for SharedTask<O> {
    type Output = core::result::Result<O::Ok, O::Err>;
    type IntoFuture = SharedJoin<O>;

    fn into_future(self) -> SharedJoin<O> {
        // The handle beside the wait keeps the target alive, and is dropped after it.
        let wait = Awaiting::unbound(self.ptr(), Role::Share, true);
        SharedJoin { wait, task: self }
    }
}

pin_project! {
    /// The future of awaiting a [`SharedTask`]: a clone of the task's result, or
    /// `Err(Error::Cancelled)` if the awaiting task is cancelled first.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, Error, SharedJoin};
    /// use std::future::IntoFuture;
    ///
    /// run(async {
    ///     let t = create_task(async { Ok::<_, Error>(3) }).share();
    ///     let joining: SharedJoin<_> = t.clone().into_future(); // what `t.await` does
    ///     assert_eq!(joining.await, Ok(3));
    ///     assert_eq!(t.await, Ok(3)); // and again
    /// })
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct SharedJoin<O> {
        // Declared before `task`, so it unregisters while the handle still keeps the task alive.
        #[pin]
        wait: Waiter<Awaiting<'static>>,
        task: SharedTask<O>,
    }
}

impl<O: TaskOutput + Clone> Future for SharedJoin<O> {
    type Output = core::result::Result<O::Ok, O::Err>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        match this.wait.poll(cx) {
            Poll::Ready(Ok(())) => Poll::Ready(this.task.copy_result()),
            Poll::Ready(Err(cancelled)) => Poll::Ready(Err(cancelled.into())),
            Poll::Pending => Poll::Pending,
        }
    }
}
