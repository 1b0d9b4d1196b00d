//! Deadlines for code that runs in the calling task: [`timeout`] (CPython's
//! `async with asyncio.timeout(...)`, which cancels the code in place and lets it clean up)
//! and [`drop_after`] (which drops it). [`wait_for`](crate::wait_for) is the third variant,
//! MicroPython's, which runs the code as a task of its own.

use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{ready, Context, Poll};
use core::time::Duration;

use pin_project_lite::pin_project;

use crate::error::{Error, TaskError};
use crate::sleep::{sleep, sleep_ms, sleep_until, Sleep};
use crate::task::{current_task, TaskRef};
use crate::time::Instant;

/// Bounds `future`, awaited in the calling task, by `duration`; `None` waits forever (CPython's
/// `async with asyncio.timeout(delay)`).
///
/// When the time is up, the calling task is cancelled *in place*: the future's next await of a
/// loop primitive returns `Err(Error::Cancelled)`, it may clean up as any cancelled code does
/// (awaiting as it needs), and once it ends with that cancellation the scope turns it into
/// `Err(Error::Timeout)`. Tasks it awaits are cancelled with it: a task handle passes the
/// cancellation on to its task, a [`gather`](crate::gather) to its children, a
/// [`TaskGroup`](crate::TaskGroup) to its members, each waited for as their own rules say.
///
/// Only the scope's own cancellation becomes a timeout. A cancellation of the task from outside
/// that arrives as well (before the future has finished) stays `Err(Error::Cancelled)`, and
/// so does one that arrives while the future cleans up; scopes nest, each converting only its
/// own. A future that completes once the time is up, without having seen the cancellation
/// (it was already finishing), returns its result, and the cancellation is withdrawn. Both as
/// in CPython, which counts the requests with `cancelling()`/`uncancel()`
/// ([`TaskRef::cancelling`]).
///
/// The future must let cancellations in: code that awaits only foreign futures (which cannot
/// report one) runs on after the deadline until it next awaits a loop primitive, or until
/// [`check_cancel`](crate::check_cancel); such code wants [`drop_after`], which drops it.
///
/// ```
/// use asyncio_core::{run, sleep_ms, timeout_ms, Error, Result};
/// use std::cell::Cell;
///
/// async fn upload(done: &Cell<&'static str>) -> Result<u32> {
///     match sleep_ms(1000).await {
///         Err(Error::Cancelled) => {
///             sleep_ms(5).await?; // the cleanup awaits normally
///             done.set("closed the connection");
///             Err(Error::Cancelled)
///         }
///         other => other.map(|()| 200),
///     }
/// }
///
/// run(async {
///     let done = Cell::new("");
///     assert_eq!(timeout_ms(50, upload(&done)).await, Err(Error::Timeout));
///     assert_eq!(done.get(), "closed the connection");
///     assert_eq!(timeout_ms(5000, upload(&done)).await, Ok(200));
/// })
/// .unwrap();
/// ```
pub fn timeout<F: IntoFuture>(
    duration: impl Into<Option<Duration>>,
    future: F,
) -> Timeout<F::IntoFuture> {
    Timeout::new(duration.into().map(sleep), future.into_future())
}

/// [`timeout`] in milliseconds.
///
/// ```
/// use asyncio_core::{run, sleep_ms, timeout_ms, Error};
///
/// run(async {
///     assert_eq!(timeout_ms(5, sleep_ms(50)).await, Err(Error::Timeout));
/// })
/// .unwrap();
/// ```
pub fn timeout_ms<F: IntoFuture>(ms: u32, future: F) -> Timeout<F::IntoFuture> {
    Timeout::new(Some(sleep_ms(ms)), future.into_future())
}

/// [`timeout`] with a deadline on the loop's clock (CPython's `asyncio.timeout_at(when)`).
///
/// ```
/// use asyncio_core::{get_event_loop, run, sleep_ms, timeout_at, Error};
///
/// run(async {
///     let lp = get_event_loop();
///     let deadline = lp.time().add_ticks(u64::from(lp.ticks_per_second()) / 50); // in 20 ms
///     // Two steps share one deadline.
///     assert_eq!(timeout_at(deadline, sleep_ms(10)).await, Ok(()));
///     assert_eq!(timeout_at(deadline, sleep_ms(30)).await, Err(Error::Timeout));
///     assert_eq!(lp.time(), deadline);
/// })
/// .unwrap();
/// ```
pub fn timeout_at<F: IntoFuture>(deadline: Instant, future: F) -> Timeout<F::IntoFuture> {
    Timeout::new(Some(sleep_until(deadline)), future.into_future())
}

/// How far a [`Timeout`] has got.
enum Expiry {
    /// Not polled yet.
    Unentered,
    /// Running; the calling task had this many cancellation requests when it began.
    Running { cancelling: usize },
    /// The time is up and the task was cancelled; waiting for the future to end.
    Cancelling { task: TaskRef, cancelling: usize },
    /// Finished.
    Done,
}

pin_project! {
    /// The future of [`timeout`], [`timeout_ms`] and [`timeout_at`].
    ///
    /// ```
    /// use asyncio_core::{run, sleep_ms, timeout_ms, Error};
    ///
    /// run(async {
    ///     let slow = timeout_ms(10, sleep_ms(1000));
    ///     assert_eq!(slow.await, Err(Error::Timeout)); // the sleep saw the cancellation
    /// })
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct Timeout<F> {
        #[pin]
        future: F,
        #[pin]
        deadline: Option<Sleep>,
        expiry: Expiry,
    }

    impl<F> PinnedDrop for Timeout<F> {
        fn drop(this: Pin<&mut Self>) {
            // Dropped after its deadline, before the code ended (by a `drop_after` or `select`
            // around it): the cancellation it made is its own to take back.
            if let Expiry::Cancelling { task, .. } = this.project().expiry {
                task.uncancel();
            }
        }
    }
}

impl<F> Timeout<F> {
    fn new(deadline: Option<Sleep>, future: F) -> Self {
        Timeout {
            future,
            deadline,
            expiry: Expiry::Unentered,
        }
    }
}

impl<F, T, E> Future for Timeout<F>
where
    F: Future<Output = Result<T, E>>,
    E: TaskError,
{
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Expiry::Unentered = this.expiry {
            let cancelling = current_task().map_or(0, |task| task.cancelling());
            *this.expiry = Expiry::Running { cancelling };
        }
        if let Expiry::Running { cancelling } = *this.expiry {
            let expired = match this.deadline.as_mut().as_pin_mut() {
                Some(deadline) => deadline.poll_deadline(cx).is_ready(),
                None => false,
            };
            if expired {
                let Some(task) = current_task() else {
                    // Outside any task there is nobody to cancel: the future is dropped.
                    *this.expiry = Expiry::Done;
                    return Poll::Ready(Err(Error::Timeout.into()));
                };
                task.cancel();
                *this.expiry = Expiry::Cancelling { task, cancelling };
            }
        }
        let out = ready!(this.future.poll(cx));
        let expiry = core::mem::replace(this.expiry, Expiry::Done);
        if let Expiry::Cancelling { task, cancelling } = expiry {
            // Take back this scope's request; a timeout only if no other was made meanwhile.
            let own = task.uncancel() <= cancelling;
            if own && matches!(&out, Err(e) if e.is_cancelled()) {
                return Poll::Ready(Err(Error::Timeout.into()));
            }
        }
        Poll::Ready(out)
    }
}

/// Awaits `future` in the calling task for at most `duration`, and drops it where it waits if
/// the deadline passes first: `Err(Error::Timeout)`. The variant of [`timeout`] for futures
/// that cannot see a cancellation (foreign ones) or that need not clean up, and for any
/// output type (the result is `Result<F::Output, Error>`).
///
/// The dropped future's `Drop` code runs, but no async cleanup. That suits cancel-safe
/// operations, such as the stream reads and drains, which lose nothing when dropped. A
/// deadline that passes while the future could complete favours the deadline; nothing was
/// taken from the future then. A cancellation of the task ends the wait with
/// `Err(Error::Cancelled)`, the future dropped.
///
/// Tasks the future was waiting on never run on unobserved: a dropped `gather` cancels its
/// unfinished children, a dropped task join cancels its task, a dropped
/// [`TaskGroup`](crate::TaskGroup) scope aborts its members. A cancelled task sees the
/// cancellation at its next await; unlike [`timeout`], nobody waits for it to finish unwinding.
///
/// ```
/// use asyncio_core::{drop_after, run, sleep_ms, Error};
/// use core::time::Duration;
///
/// run(async {
///     let mut tries = 0;
///     let mut attempt = async || { tries += 1; sleep_ms(50).await };
///     assert_eq!(drop_after(Duration::from_millis(5), attempt()).await, Err(Error::Timeout));
///     assert_eq!(drop_after(Duration::from_millis(500), attempt()).await, Ok(Ok(())));
///     assert_eq!(tries, 2);
/// })
/// .unwrap();
/// ```
pub fn drop_after<F: IntoFuture>(duration: Duration, future: F) -> DropAfter<F::IntoFuture> {
    DropAfter {
        future: future.into_future(),
        deadline: sleep(duration),
    }
}

/// [`drop_after`] in milliseconds.
///
/// ```
/// use asyncio_core::{drop_after_ms, run, Error};
/// use std::future::pending;
///
/// run(async {
///     // A future that no cancellation reaches still ends at the deadline.
///     assert_eq!(drop_after_ms(5, pending::<()>()).await, Err(Error::Timeout));
/// })
/// .unwrap();
/// ```
pub fn drop_after_ms<F: IntoFuture>(ms: u32, future: F) -> DropAfter<F::IntoFuture> {
    DropAfter {
        future: future.into_future(),
        deadline: sleep_ms(ms),
    }
}

pin_project! {
    /// The future of [`drop_after`] and [`drop_after_ms`].
    ///
    /// ```
    /// use asyncio_core::{drop_after_ms, run, sleep_ms, Error};
    ///
    /// run(async {
    ///     let slow = drop_after_ms(10, sleep_ms(1000));
    ///     assert_eq!(slow.await, Err(Error::Timeout)); // the sleep was dropped
    /// })
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct DropAfter<F> {
        #[pin]
        future: F,
        #[pin]
        deadline: Sleep,
    }
}

impl<F: Future> Future for DropAfter<F> {
    type Output = Result<F::Output, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        // The deadline first, so that the task listing shows what the future waits on, and a
        // cancellation of the task ends the wait here.
        match this.deadline.poll(cx) {
            Poll::Ready(Ok(())) => return Poll::Ready(Err(Error::Timeout)),
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Pending => {}
        }
        this.future.poll(cx).map(Ok)
    }
}
