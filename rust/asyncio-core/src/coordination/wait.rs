//! [`wait`] and [`as_completed`]: watch a set of tasks finish (CPython's `asyncio.wait` and
//! `asyncio.as_completed`), each on one registration per task reporting to one inbox, as
//! [`gather`](crate::gather) does.

extern crate alloc;

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::future::poll_fn;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::context;
use crate::error::{Error, Result, TaskOutput};
use crate::raw::header::TaskPtr;
use crate::raw::wait_list::Inbox;
use crate::task::{note_waiting, Completion, Task, TaskRef, Waiting};

/// When [`wait`] returns (CPython's `return_when`).
///
/// ```
/// use asyncio_core::{create_task, run, sleep_ms, wait, Error, Result, ReturnWhen};
///
/// async fn fail_after(ms: u32) -> Result<()> {
///     sleep_ms(ms).await?;
///     Err(Error::ValueError)
/// }
///
/// run(async {
///     let tasks = [create_task(sleep_ms(50)), create_task(fail_after(10))];
///     let (done, _) = wait(&tasks, ReturnWhen::FirstException).await?;
///     assert_eq!(done, [1]); // at 10 ms, not 50
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReturnWhen {
    /// As soon as any task finishes (or is cancelled): `FIRST_COMPLETED`.
    FirstCompleted,
    /// As soon as any task fails; if none does, when all have finished: `FIRST_EXCEPTION`.
    /// A cancellation is not a failure.
    FirstException,
    /// When every task has finished: `ALL_COMPLETED`.
    AllCompleted,
}

/// Waits for the `tasks` until `when` says (CPython's `asyncio.wait`) and returns which have
/// finished and which have not, as indices into `tasks`: `(done, pending)`, each in order.
///
/// The tasks are only watched: none is cancelled, whatever happens (a cancellation of the
/// waiting task included, which returns `Err(Error::Cancelled)` and leaves them running). Their
/// results stay in them for their handles to take; a failure that happens while watched counts
/// as retrieved by the caller, who holds the handles. For a time limit, put the wait in a
/// [`timeout`](crate::timeout) and look at which tasks are `done()`.
///
/// # Errors
/// `Err(Error::Cancelled)` if the waiting task is cancelled; `Err(Error::ValueError)` for no
/// tasks (CPython's `ValueError`).
///
/// ```
/// use asyncio_core::{create_task, run, sleep_ms, wait, Error, ReturnWhen};
///
/// run(async {
///     let tasks = [create_task(sleep_ms(30)), create_task(sleep_ms(10)), create_task(sleep_ms(20))];
///     let (done, pending) = wait(&tasks, ReturnWhen::FirstCompleted).await?;
///     assert_eq!((done, pending), (vec![1], vec![0, 2]));
///     let (done, pending) = wait(&tasks, ReturnWhen::AllCompleted).await?;
///     assert_eq!((done, pending), (vec![0, 1, 2], vec![]));
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub async fn wait<T: AsRef<TaskRef>>(
    tasks: &[T],
    when: ReturnWhen,
) -> Result<(Vec<usize>, Vec<usize>)> {
    if tasks.is_empty() {
        return Err(Error::ValueError);
    }
    let mut watch = Watch::new(tasks.iter().map(|t| t.as_ref().ptr()));
    let failed = |i: usize| tasks[i].as_ref().ptr().local().lifecycle.ended_failed();
    let mut finished = 0;
    let mut any_failed = false;
    poll_fn(|cx| {
        if context::take_cancel() {
            return Poll::Ready(Err(Error::Cancelled));
        }
        while let Some(i) = watch.next_finished(cx) {
            finished += 1;
            any_failed |= failed(i);
        }
        let all = finished == tasks.len();
        let enough = match when {
            ReturnWhen::FirstCompleted => finished > 0,
            ReturnWhen::FirstException => any_failed || all,
            ReturnWhen::AllCompleted => all,
        };
        if enough {
            Poll::Ready(Ok(()))
        } else {
            note_waiting(Waiting::On("wait"));
            Poll::Pending
        }
    })
    .await?;
    drop(watch);
    Ok((0..tasks.len()).partition(|&i| tasks[i].as_ref().done()))
}

/// Yields the results of `tasks` in the order they finish (CPython's `asyncio.as_completed`).
///
/// `next().await` gives the next task's result, `None` once all are given; a cancellation of
/// the waiting task returns `Some(Err(Error::Cancelled))` and leaves the tasks running, still
/// watched. Dropping the [`AsCompleted`] cancels the tasks it has not given yet, as a dropped
/// gather does: nobody could see their results.
///
/// ```
/// use asyncio_core::{as_completed, create_task, run, sleep_ms, Error, Result};
///
/// async fn fetch(ms: u32) -> Result<u32> {
///     sleep_ms(ms).await?;
///     Ok(ms)
/// }
///
/// run(async {
///     let mut results = as_completed(vec![create_task(fetch(30)), create_task(fetch(10))]);
///     assert_eq!(results.next().await, Some(Ok(10)));
///     assert_eq!(results.next().await, Some(Ok(30)));
///     assert_eq!(results.next().await, None);
/// })
/// .unwrap();
/// ```
pub fn as_completed<O: TaskOutput>(tasks: Vec<Task<O>>) -> AsCompleted<O> {
    let watch = Watch::new(tasks.iter().map(|t| t.ptr()));
    AsCompleted {
        watch,
        tasks: tasks.into_iter().map(Some).collect(),
    }
}

/// The tasks of [`as_completed`], given back in the order they finish.
///
/// ```
/// use asyncio_core::{as_completed, create_task, run, sleep_ms, Error};
///
/// run(async {
///     let mut results = as_completed(vec![create_task(sleep_ms(20)), create_task(sleep_ms(10))]);
///     assert_eq!(results.len(), 2);
///     results.next().await.unwrap()?;
///     assert_eq!(results.len(), 1);
///     drop(results); // cancels the one left
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub struct AsCompleted<O: TaskOutput> {
    // Declared before `tasks`, so the registrations go while the handles keep the tasks alive.
    watch: Watch,
    tasks: Vec<Option<Task<O>>>,
}

impl<O: TaskOutput> AsCompleted<O> {
    /// The next task to finish's result; `None` once every task's has been given.
    ///
    /// ```
    /// use asyncio_core::{as_completed, create_task, run, Error};
    ///
    /// run(async {
    ///     let mut results = as_completed(vec![create_task(async { Ok::<_, Error>(1) })]);
    ///     assert_eq!(results.next().await, Some(Ok(1)));
    ///     assert_eq!(results.next().await, None);
    /// })
    /// .unwrap();
    /// ```
    pub async fn next(&mut self) -> Option<core::result::Result<O::Ok, O::Err>> {
        poll_fn(|cx| self.poll_next(cx)).await
    }

    fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<core::result::Result<O::Ok, O::Err>>> {
        if self.is_empty() {
            return Poll::Ready(None);
        }
        if context::take_cancel() {
            return Poll::Ready(Some(Err(Error::Cancelled.into())));
        }
        match self.watch.next_finished(cx) {
            Some(i) => {
                let task = self.tasks[i]
                    .take()
                    .expect("as_completed: a task given twice");
                Poll::Ready(Some(task.take_result()))
            }
            None => {
                note_waiting(Waiting::On("as_completed"));
                Poll::Pending
            }
        }
    }

    /// How many results are still to come.
    pub fn len(&self) -> usize {
        self.tasks.iter().flatten().count()
    }

    /// Whether every result has been given.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<O: TaskOutput> Drop for AsCompleted<O> {
    fn drop(&mut self) {
        for task in self.tasks.iter().flatten() {
            task.cancel();
        }
    }
}

/// One completion registration per task, on the heap with the inbox they report to, and the
/// tasks that had finished before they could register.
struct Watch {
    // Declared before `inbox`, so they unregister before it goes.
    completions: Pin<Box<[Completion]>>,
    inbox: Pin<Box<Inbox>>,
    finished_before: VecDeque<usize>,
}

impl Watch {
    fn new(tasks: impl Iterator<Item = TaskPtr>) -> Self {
        let completions: Box<[Completion]> = tasks.map(Completion::new).collect();
        let mut watch = Watch {
            completions: Box::into_pin(completions),
            inbox: Box::pin(Inbox::new()),
            finished_before: VecDeque::new(),
        };
        for i in 0..watch.completions.len() {
            // SAFETY: the slice is pinned in its box, and never moved out of.
            let completion = unsafe { Pin::new_unchecked(&watch.completions[i]) };
            if completion.report_to(watch.inbox.as_ref()) {
                watch.finished_before.push_back(i);
            }
        }
        watch
    }

    /// The next task seen to finish, in the order they did (those finished before the watch
    /// began first, in argument order); `None` for now, with `cx`'s waker kept for the next.
    fn next_finished(&mut self, cx: &Context<'_>) -> Option<usize> {
        if let Some(i) = self.finished_before.pop_front() {
            return Some(i);
        }
        self.inbox.set_waker(cx.waker());
        let node = self.inbox.pop()?;
        let i = Completion::position_in(&self.completions, node)
            .expect("wait: a foreign node in the inbox");
        Some(i)
    }
}
