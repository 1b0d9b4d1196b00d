//! [`gather`]: run several tasks and collect their results in order.

extern crate alloc;

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::cell::Cell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::context;
use crate::error::{Error, TaskError, TaskOutput};
use crate::raw::task_cell::Outcome;
use crate::raw::wait_list::Inbox;
use crate::task::{note_waiting, Waiting};
use crate::task::{Completion, IntoTask, Task, TaskRef};
use pin_project_lite::pin_project;

/// Runs `children` concurrently and returns their values in order (Python's
/// `asyncio.gather(*aws)`).
///
/// `children` is a tuple (up to 8), an array or a `Vec` of futures or [`Task`]s; futures are
/// scheduled as tasks at once, in order. All children must share one error type.
///
/// As in MicroPython:
/// - the first child to fail (or be cancelled) fails the gather with its error; the other
///   children keep running, no longer gathered (a later failure of theirs reaches the loop's
///   exception handler). A child that had already failed before the gather started fails it
///   without waiting;
/// - cancelling the task that awaits the gather cancels every unfinished child;
/// - `.return_exceptions()` instead waits for every child and returns each one's `Result`.
///
/// ```
/// use asyncio_core::{gather, run, sleep_ms, Error};
///
/// async fn slow_double(x: u32) -> Result<u32, Error> {
///     sleep_ms(10 * x).await?;
///     Ok(2 * x)
/// }
///
/// let out = run(async {
///     let (a, b) = gather((slow_double(2), slow_double(1))).await?;
///     let all = gather(vec![slow_double(3), slow_double(4)]).await?;
///     Ok::<_, Error>((a, b, all))
/// });
/// assert_eq!(out.unwrap(), Ok((4, 2, vec![6, 8])));
/// ```
pub fn gather<C: IntoChildren>(children: C) -> Gather<C::Children> {
    Gather {
        watch: Watch::new(children.into_children()),
    }
}

pin_project! {
    /// The future of [`gather`].
    ///
    /// ```
    /// use asyncio_core::{gather, run, Error, Gather};
    ///
    /// run(async {
    ///     let both = gather((async { Ok::<_, Error>(1) }, async { Ok::<_, Error>(2) }));
    ///     assert_eq!(both.await, Ok((1, 2)));
    /// })
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct Gather<C: Children> {
        #[pin]
        watch: Watch<C>,
    }
}

impl<C: Children> Gather<C> {
    /// Waits for every child and returns each one's `Result`, in order (Python's
    /// `return_exceptions=True`). The gather itself only fails if the awaiting task is
    /// cancelled.
    ///
    /// ```
    /// use asyncio_core::{gather, run, Error};
    ///
    /// let out = run(async {
    ///     gather((async { Ok(1) }, async { Err::<u32, _>(Error::Timeout) }))
    ///         .return_exceptions()
    ///         .await
    /// });
    /// assert_eq!(out.unwrap(), Ok((Ok(1), Err(Error::Timeout))));
    /// ```
    pub fn return_exceptions(self) -> GatherResults<C> {
        GatherResults { watch: self.watch }
    }
}

impl<C: Children> Future for Gather<C> {
    type Output = Result<C::Values, C::Err>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let watch = self.project().watch.into_ref();
        watch.poll_step(cx, true).map(|step| match step {
            Step::Cancelled => Err(Error::Cancelled.into()),
            Step::Failed(i) => Err(watch.children.take_error(i)),
            Step::Done => watch.children.take_values(),
        })
    }
}

pin_project! {
    /// The future of [`Gather::return_exceptions`].
    ///
    /// ```
    /// use asyncio_core::{gather, run, Error};
    ///
    /// run(async {
    ///     let all = gather((async { Ok(1) }, async { Err::<u8, _>(Error::Timeout) }));
    ///     assert_eq!(all.return_exceptions().await, Ok((Ok(1), Err(Error::Timeout))));
    /// })
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct GatherResults<C: Children> {
        #[pin]
        watch: Watch<C>,
    }
}

impl<C: Children> Future for GatherResults<C> {
    type Output = Result<C::Results, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let watch = self.project().watch.into_ref();
        watch.poll_step(cx, false).map(|step| match step {
            Step::Done => Ok(watch.children.take_results()),
            _ => Err(Error::Cancelled),
        })
    }
}

enum Step {
    /// The gathering task was cancelled (its children have been cancelled too).
    Cancelled,
    /// This child failed first.
    Failed(usize),
    /// Every child has finished.
    Done,
}

pin_project! {
    /// The children, one completion registration per child (inline for a tuple, whose number
    /// of children is known at build time; on the heap for a `Vec`) and the inbox where the
    /// completions report, so that each wake costs O(1) however many children there are.
    struct Watch<C: Children> {
        // Declared before `children`, so they unregister while the handles keep the tasks alive.
        #[pin]
        completions: C::Completions,
        #[pin]
        inbox: Inbox,
        children: C,
        // Children not yet finished; `None` until the first poll registers the completions.
        unfinished: Cell<Option<usize>>,
        // The gather has returned (its outcome settled).
        settled: Cell<bool>,
    }

    impl<C: Children> PinnedDrop for Watch<C> {
        fn drop(this: Pin<&mut Self>) {
            this.abandon();
        }
    }
}

impl<C: Children> Watch<C> {
    fn new(children: C) -> Self {
        Watch {
            completions: children.completions(),
            inbox: Inbox::new(),
            children,
            unfinished: Cell::new(None),
            settled: Cell::new(false),
        }
    }

    fn completion(self: Pin<&Self>, i: usize) -> Pin<&Completion> {
        // SAFETY: the completions live in the pinned watch (inline, or in a box it owns and
        // never replaces) and are never moved out.
        unsafe { Pin::new_unchecked(&self.get_ref().completions.as_ref()[i]) }
    }

    fn failed(&self, i: usize) -> bool {
        matches!(
            self.children.task(i).outcome(),
            Outcome::Failed | Outcome::Cancelled
        )
    }

    /// A gather dropped while it waited (say by a timeout around it): nobody will see the
    /// children's results, so none may run on unobserved; they are cancelled, as cancelling
    /// the gathering task would.
    fn abandon(&self) {
        if self.unfinished.get().is_some() && !self.settled.get() {
            for i in 0..self.children.count() {
                self.children.task(i).cancel();
            }
        }
    }

    fn unregister_all(&self) {
        for c in self.completions.as_ref() {
            c.unregister();
        }
    }

    /// First poll: registers a completion for each unfinished child. Returns how many there
    /// are, and the first child (in argument order) that had already failed.
    fn register(self: Pin<&Self>) -> (usize, Option<usize>) {
        let (mut unfinished, mut failed) = (0, None);
        for i in 0..self.children.count() {
            if !self.completion(i).report_to(self.project_ref().inbox) {
                unfinished += 1;
            } else if failed.is_none() && self.failed(i) {
                failed = Some(i);
            }
        }
        (unfinished, failed)
    }

    fn poll_step(self: Pin<&Self>, cx: &mut Context<'_>, stop_on_failure: bool) -> Poll<Step> {
        let step = self.step(cx, stop_on_failure);
        if step.is_ready() {
            self.settled.set(true);
        }
        step
    }

    fn step(self: Pin<&Self>, cx: &mut Context<'_>, stop_on_failure: bool) -> Poll<Step> {
        if context::take_cancel() {
            for i in 0..self.children.count() {
                self.children.task(i).cancel();
            }
            self.unregister_all();
            return Poll::Ready(Step::Cancelled);
        }
        self.project_ref().inbox.set_waker(cx.waker());
        // Children that had failed before the gather looked fail it first, in argument order;
        // then those that fail while watched, in the order they fail.
        let mut failed = None;
        let mut unfinished = match self.unfinished.get() {
            Some(n) => n,
            None => {
                let (n, already_failed) = self.register();
                failed = already_failed.filter(|_| stop_on_failure);
                n
            }
        };
        while failed.is_none() {
            let Some(node) = self.inbox.pop() else { break };
            let i = Completion::position_in(self.completions.as_ref(), node)
                .expect("gather: a foreign node in the inbox");
            unfinished -= 1;
            if stop_on_failure && self.failed(i) {
                failed = Some(i);
            }
        }
        self.unfinished.set(Some(unfinished));
        match failed {
            Some(i) => {
                self.unregister_all();
                Poll::Ready(Step::Failed(i))
            }
            None if unfinished == 0 => Poll::Ready(Step::Done),
            None => {
                note_waiting(Waiting::On("gather"));
                Poll::Pending
            }
        }
    }
}

/// A set of tasks [`gather`] can wait for: tuples (up to 8), arrays and `Vec`s of [`Task`]s
/// sharing an error type. Not implementable outside this crate.
///
/// ```
/// use asyncio_core::{create_task, gather, run, Error, Task};
///
/// run(async {
///     let tasks: Vec<Task<Result<u32, Error>>> = vec![create_task(async { Ok(1) })];
///     assert_eq!(gather(tasks).await, Ok(vec![1])); // a Vec of tasks is `Children`
/// })
/// .unwrap();
/// ```
pub trait Children: sealed::Sealed {
    /// What the gather returns: each child's value, in order.
    type Values;
    /// What `return_exceptions()` returns: each child's `Result`, in order.
    type Results;
    /// The children's common error type.
    type Err: TaskError;
    #[doc(hidden)]
    type Completions: AsRef<[Completion]>;

    #[doc(hidden)]
    fn count(&self) -> usize;
    #[doc(hidden)]
    fn task(&self, i: usize) -> &TaskRef;
    #[doc(hidden)]
    fn take_values(&self) -> Result<Self::Values, Self::Err>;
    #[doc(hidden)]
    fn take_error(&self, i: usize) -> Self::Err;
    #[doc(hidden)]
    fn take_results(&self) -> Self::Results;
    /// One registration per child, for the gather to watch them with.
    #[doc(hidden)]
    fn completions(&self) -> Self::Completions;
}

/// What [`gather`] accepts: tuples (up to 8), arrays and `Vec`s of futures or [`Task`]s, all
/// with the same error type.
///
/// ```
/// use asyncio_core::{gather, run, Error};
///
/// run(async {
///     // A tuple of different futures, sharing the error type.
///     let (n, s) = gather((async { Ok::<_, Error>(1) }, async { Ok::<_, Error>("one") })).await?;
///     assert_eq!((n, s), (1, "one"));
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub trait IntoChildren {
    /// The tasks, once scheduled.
    type Children: Children;

    /// Schedules the futures (in order) and returns the tasks.
    fn into_children(self) -> Self::Children;
}

mod sealed {
    pub trait Sealed {}
}

fn error_of<T, E: From<Error>>(result: Result<T, E>) -> E {
    result.err().unwrap_or_else(|| Error::Cancelled.into())
}

impl<O: TaskOutput> sealed::Sealed for Vec<Task<O>> {}

impl<O: TaskOutput> Children for Vec<Task<O>> {
    type Values = Vec<O::Ok>;
    type Results = Vec<Result<O::Ok, O::Err>>;
    type Err = O::Err;
    type Completions = Box<[Completion]>;

    fn count(&self) -> usize {
        self.len()
    }
    fn task(&self, i: usize) -> &TaskRef {
        &self[i]
    }
    fn take_values(&self) -> Result<Self::Values, Self::Err> {
        self.iter().map(Task::take_result).collect()
    }
    fn take_error(&self, i: usize) -> Self::Err {
        error_of(self[i].take_result())
    }
    fn take_results(&self) -> Self::Results {
        self.iter().map(Task::take_result).collect()
    }
    fn completions(&self) -> Self::Completions {
        self.iter().map(|t| Completion::new(t.ptr())).collect()
    }
}

impl<T: IntoTask> IntoChildren for Vec<T> {
    type Children = Vec<Task<T::Output>>;

    fn into_children(self) -> Self::Children {
        self.into_iter().map(IntoTask::into_task).collect()
    }
}

impl<T: IntoTask, const N: usize> IntoChildren for [T; N] {
    type Children = Vec<Task<T::Output>>;

    fn into_children(self) -> Self::Children {
        self.into_iter().map(IntoTask::into_task).collect()
    }
}

macro_rules! tuple_children {
    ($(($T:ident, $A:ident, $i:tt)),+) => {
        impl<E: TaskError, $($T: TaskOutput<Err = E>),+> sealed::Sealed for ($(Task<$T>,)+) {}

        impl<E: TaskError, $($T: TaskOutput<Err = E>),+> Children for ($(Task<$T>,)+) {
            type Values = ($($T::Ok,)+);
            type Results = ($(Result<$T::Ok, E>,)+);
            type Err = E;
            type Completions = [Completion; [$($i),+].len()];

            fn count(&self) -> usize {
                [$($i),+].len()
            }
            fn task(&self, i: usize) -> &TaskRef {
                match i {
                    $($i => &self.$i,)+
                    _ => unreachable!("gather: child index out of range"),
                }
            }
            fn take_values(&self) -> Result<Self::Values, E> {
                Ok(($(self.$i.take_result()?,)+))
            }
            fn take_error(&self, i: usize) -> E {
                match i {
                    $($i => error_of(self.$i.take_result()),)+
                    _ => unreachable!("gather: child index out of range"),
                }
            }
            fn take_results(&self) -> Self::Results {
                ($(self.$i.take_result(),)+)
            }
            fn completions(&self) -> Self::Completions {
                [$(Completion::new(self.$i.ptr()),)+]
            }
        }

        impl<E: TaskError, $($A: IntoTask),+> IntoChildren for ($($A,)+)
        where
            $($A::Output: TaskOutput<Err = E>),+
        {
            type Children = ($(Task<$A::Output>,)+);

            fn into_children(self) -> Self::Children {
                ($(self.$i.into_task(),)+)
            }
        }
    };
}

tuple_children!((T0, A0, 0));
tuple_children!((T0, A0, 0), (T1, A1, 1));
tuple_children!((T0, A0, 0), (T1, A1, 1), (T2, A2, 2));
tuple_children!((T0, A0, 0), (T1, A1, 1), (T2, A2, 2), (T3, A3, 3));
tuple_children!(
    (T0, A0, 0),
    (T1, A1, 1),
    (T2, A2, 2),
    (T3, A3, 3),
    (T4, A4, 4)
);
tuple_children!(
    (T0, A0, 0),
    (T1, A1, 1),
    (T2, A2, 2),
    (T3, A3, 3),
    (T4, A4, 4),
    (T5, A5, 5)
);
tuple_children!(
    (T0, A0, 0),
    (T1, A1, 1),
    (T2, A2, 2),
    (T3, A3, 3),
    (T4, A4, 4),
    (T5, A5, 5),
    (T6, A6, 6)
);
tuple_children!(
    (T0, A0, 0),
    (T1, A1, 1),
    (T2, A2, 2),
    (T3, A3, 3),
    (T4, A4, 4),
    (T5, A5, 5),
    (T6, A6, 6),
    (T7, A7, 7)
);
