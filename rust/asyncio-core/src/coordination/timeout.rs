//! [`timeout`] and [`timeout_ms`]: a deadline for a future that borrows (CPython's
//! `async with asyncio.timeout(...)`), where [`wait_for`](crate::wait_for) needs a task.

use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;

use pin_project_lite::pin_project;

use crate::error::Error;
use crate::sleep::{sleep, sleep_ms, Sleep};

/// Awaits `future` in the calling task for at most `duration`; `Err(Error::Timeout)` if the
/// deadline passes first.
///
/// Unlike [`wait_for`](crate::wait_for), the future is not made a task, so it may borrow (a
/// `reader.readline()` on a reader the caller keeps). On expiry it is dropped where it waits:
/// its `Drop` code runs, but no async cleanup. That suits cancel-safe operations, such as the
/// stream reads and drains, which lose nothing when dropped. A deadline that passes while the
/// future could complete favours the deadline; nothing was taken from the future then.
///
/// Tasks the future was waiting on never run on unobserved: a dropped `gather` cancels its
/// unfinished children, a dropped task join (`timeout_ms(10, task)`) cancels its task. They
/// see the cancellation at their next await; unlike `wait_for`, the timeout does not wait for
/// them to finish unwinding.
///
/// ```
/// use asyncio_core::{run, sleep_ms, timeout, Error};
/// use core::time::Duration;
///
/// run(async {
///     let mut tries = 0;
///     let mut attempt = async || { tries += 1; sleep_ms(50).await };
///     assert_eq!(timeout(Duration::from_millis(5), attempt()).await, Err(Error::Timeout));
///     assert_eq!(timeout(Duration::from_millis(500), attempt()).await, Ok(Ok(())));
///     assert_eq!(tries, 2);
/// })
/// .unwrap();
/// ```
pub fn timeout<F: IntoFuture>(duration: Duration, future: F) -> Timeout<F::IntoFuture> {
    Timeout {
        future: future.into_future(),
        deadline: sleep(duration),
    }
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
    Timeout {
        future: future.into_future(),
        deadline: sleep_ms(ms),
    }
}

pin_project! {
    /// The future of [`timeout`] and [`timeout_ms`].
    ///
    /// ```
    /// use asyncio_core::{run, sleep_ms, timeout_ms, Error};
    ///
    /// run(async {
    ///     let slow = timeout_ms(10, sleep_ms(1000));
    ///     assert_eq!(slow.await, Err(Error::Timeout)); // the sleep was dropped
    /// })
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct Timeout<F> {
        #[pin]
        future: F,
        #[pin]
        deadline: Sleep,
    }
}

impl<F: Future> Future for Timeout<F> {
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
