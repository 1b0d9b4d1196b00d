//! [`wait_for`] and [`wait_for_ms`]: await with a timeout.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;

use pin_project_lite::pin_project;

use crate::error::{Error, TaskOutput};
use crate::sleep::{sleep, sleep_ms, Sleep};
use crate::sync::Waiter;
use crate::task::{note_waiting, Awaiting, IntoTask, Role, Task, Waiting};

/// Awaits `aw` for at most `timeout` (Python's `asyncio.wait_for`); `None` waits forever.
///
/// `aw` (a future or a [`Task`]) runs as a task. If it finishes first, its result is returned.
/// If the timeout passes first, `aw` is cancelled, `wait_for` waits for it to finish unwinding
/// (its async cleanup runs), then returns `Err(Error::Timeout)` — even if `aw` caught the
/// cancellation and returned a value (MicroPython; CPython returns the value).
///
/// If the task awaiting `wait_for` is cancelled, `aw` is cancelled too and `wait_for` returns
/// `Err(Error::Cancelled)` at once, without waiting for `aw` to unwind (MicroPython; CPython
/// waits). As in MicroPython, where a runner task relays it, `aw`'s completion reaches
/// `wait_for` one scheduling round later, and a cancel arriving in that round still wins. With
/// a zero timeout, `aw` still gets one scheduling round: if it finishes in it, its result is
/// returned (MicroPython; CPython times out).
///
/// ```
/// use asyncio_core::{run, sleep_ms, wait_for, Error};
/// use core::time::Duration;
///
/// let out = run(async {
///     let quick = wait_for(async { sleep_ms(5).await.map(|()| "done") }, Duration::from_millis(50));
///     let slow = wait_for(sleep_ms(50), Duration::from_millis(5));
///     (quick.await, slow.await)
/// });
/// assert_eq!(out.unwrap(), (Ok("done"), Err(Error::Timeout)));
/// ```
pub fn wait_for<A: IntoTask>(aw: A, timeout: impl Into<Option<Duration>>) -> WaitFor<A::Output> {
    WaitFor::new(aw.into_task(), timeout.into().map(sleep))
}

/// [`wait_for`] with a timeout in milliseconds (MicroPython's `asyncio.wait_for_ms`).
///
/// ```
/// use asyncio_core::{run, sleep_ms, wait_for_ms, Error};
///
/// let out = run(async { wait_for_ms(sleep_ms(50), 5).await });
/// assert_eq!(out.unwrap(), Err(Error::Timeout));
/// ```
pub fn wait_for_ms<A: IntoTask>(aw: A, timeout_ms: u32) -> WaitFor<A::Output> {
    WaitFor::new(aw.into_task(), Some(sleep_ms(timeout_ms)))
}

pin_project! {
    /// The future of [`wait_for`] and [`wait_for_ms`].
    ///
    /// ```
    /// use asyncio_core::{run, sleep_ms, wait_for_ms, Error};
    ///
    /// run(async {
    ///     let quick = wait_for_ms(async { Ok::<_, Error>(1) }, 100);
    ///     assert_eq!(quick.await, Ok(1));
    ///     assert_eq!(wait_for_ms(sleep_ms(1000), 10).await, Err(Error::Timeout));
    /// })
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct WaitFor<O> {
        // Declared before `task`, so it unregisters while the handle still keeps the task alive.
        #[pin]
        wait: Waiter<Awaiting<'static>>,
        task: Task<O>,
        #[pin]
        deadline: Option<Sleep>,
        timed_out: bool,
        // `aw` has finished; its result is handed over at the next poll.
        handing_over: bool,
    }
}

impl<O> WaitFor<O> {
    fn new(task: Task<O>, deadline: Option<Sleep>) -> Self {
        // Without a timeout this is a plain await, which forwards cancellation to `aw`.
        let forward = deadline.is_none();
        WaitFor {
            // The handle beside the wait keeps `aw` alive, and is dropped after it.
            wait: Awaiting::unbound(task.ptr(), Role::Own, forward),
            task,
            deadline,
            timed_out: false,
            handing_over: false,
        }
    }
}

impl<O: TaskOutput> Future for WaitFor<O> {
    type Output = Result<O::Ok, O::Err>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        match this.wait.poll(cx) {
            Poll::Ready(Ok(())) => {}
            Poll::Ready(Err(cancelled)) => {
                this.task.cancel();
                return Poll::Ready(Err(cancelled.into()));
            }
            Poll::Pending => {
                if !*this.timed_out {
                    if let Some(deadline) = this.deadline.as_mut().as_pin_mut() {
                        if deadline.poll(cx).is_ready() {
                            // Time is up: cancel `aw` and wait for it to unwind.
                            *this.timed_out = true;
                            this.task.cancel();
                        }
                    }
                }
                note_waiting(Waiting::On("wait_for"));
                return Poll::Pending;
            }
        }
        // `aw` has finished. Under a deadline its result reaches the waiter one round later,
        // as MicroPython's runner task relays it.
        if this.deadline.is_some() && !*this.handing_over {
            *this.handing_over = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(if *this.timed_out {
            Err(Error::Timeout.into())
        } else {
            this.task.take_result()
        })
    }
}
