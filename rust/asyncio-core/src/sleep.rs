//! Sleeping: [`sleep`], [`sleep_ms`], [`sleep_until`] and [`yield_now`].
//!
//! A sleep arms a timer node that lives inside the [`Sleep`] future itself, so sleeping never
//! allocates and any number of tasks may sleep at once. A zero delay does not arm a timer: it
//! yields, putting the task behind every task already ready (MicroPython's `sleep_ms(0)`).
//!
//! Each returns `Err(Error::Cancelled)` if the sleeping task is cancelled.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;

use crate::context;
use crate::error::Error;
use crate::raw::timer_heap::{TimerNode, TimerState};
use crate::scheduler::Scheduler;
use crate::task::{note_waiting, Waiting};
use crate::time::{duration_to_ticks, ms_to_ticks, ticks_to_ms, Instant};

/// When a [`Sleep`] ends.
#[derive(Clone, Copy)]
enum Wake {
    /// This long after the first poll.
    After(Delay),
    /// At this instant.
    At(Instant),
}

#[derive(Clone, Copy)]
enum Delay {
    Ms(u32),
    Duration(Duration),
}

impl Delay {
    fn ticks(self, hz: u32) -> u64 {
        match self {
            Delay::Ms(ms) => ms_to_ticks(ms as u64, hz),
            Delay::Duration(d) => duration_to_ticks(d, hz),
        }
    }
}

/// The future returned by [`sleep`], [`sleep_ms`], [`sleep_until`] and [`yield_now`].
///
/// ```
/// use asyncio_core::{run, sleep_ms, Sleep};
///
/// run(async {
///     let nap: Sleep = sleep_ms(10);
///     nap.await.unwrap();
/// })
/// .unwrap();
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    wake: Wake,
    timer: TimerNode,
    /// The loop whose heap holds the armed timer.
    armed_in: Option<&'static Scheduler>,
    /// For zero delays: the yield has happened.
    yielded: bool,
}

impl Sleep {
    fn new(wake: Wake) -> Self {
        Sleep {
            wake,
            timer: TimerNode::new(),
            armed_in: None,
            yielded: false,
        }
    }

    fn disarm(&mut self) {
        if let Some(core) = self.armed_in.take() {
            core.timers.remove(&self.timer);
        }
    }
}

impl Future for Sleep {
    type Output = Result<(), Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: nothing is moved out of `this`; the timer node stays where it was pinned.
        let this = unsafe { self.get_unchecked_mut() };
        let core = context::current_loop();
        if core.take_cancel() {
            this.disarm();
            return Poll::Ready(Err(Error::Cancelled));
        }
        this.poll_timer(core, cx).map(Ok)
    }
}

impl Sleep {
    /// The sleep without its cancellation point: ready once the time has come. For the
    /// deadlines of scopes ([`timeout`](crate::timeout)) that leave the task's cancellation to
    /// the code they bound.
    pub(crate) fn poll_deadline(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: as in `poll`.
        let this = unsafe { self.get_unchecked_mut() };
        this.poll_timer(context::current_loop(), cx)
    }

    fn poll_timer(&mut self, core: &'static Scheduler, cx: &mut Context<'_>) -> Poll<()> {
        let this = self;
        match this.timer.state() {
            TimerState::Fired => return Poll::Ready(()),
            TimerState::Armed => {
                this.timer.set_waker(cx.waker());
                note_sleep(core, this.timer.deadline());
                return Poll::Pending;
            }
            TimerState::Idle if this.yielded => return Poll::Ready(()),
            TimerState::Idle => {}
        }
        let deadline = match this.wake {
            Wake::At(deadline) => deadline,
            Wake::After(delay) => match delay.ticks(core.platform().ticks_per_second()) {
                0 => return yield_once(&mut this.yielded, cx),
                ticks => core.now().add_ticks(ticks),
            },
        };
        // SAFETY: the node is pinned inside this future, which disarms it in `Drop`.
        unsafe {
            core.timers
                .insert(Pin::new_unchecked(&this.timer), deadline, cx.waker())
        };
        this.armed_in = Some(core);
        note_sleep(core, deadline);
        Poll::Pending
    }
}

fn note_sleep(core: &Scheduler, deadline: Instant) {
    let until_ms = ticks_to_ms(deadline.ticks(), core.platform().ticks_per_second());
    note_waiting(Waiting::Sleep { until_ms });
}

impl Drop for Sleep {
    fn drop(&mut self) {
        self.disarm();
    }
}

/// Sleeps for `duration` (Python's `asyncio.sleep(seconds)`), rounded up to whole ticks.
///
/// A zero duration yields once instead (see [`yield_now`]).
///
/// ```
/// use asyncio_core::{get_event_loop, run, sleep};
/// use core::time::Duration;
///
/// let lp = get_event_loop();
/// let start = lp.time();
/// run(async { sleep(Duration::from_millis(1500)).await.unwrap() }).unwrap();
/// assert!(lp.time().ticks_since(start) >= 1500); // the host's tick is a millisecond
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    Sleep::new(Wake::After(Delay::Duration(duration)))
}

/// Sleeps for `ms` milliseconds (MicroPython's `asyncio.sleep_ms`), rounded up to whole ticks.
///
/// `sleep_ms(0)` yields once instead (see [`yield_now`]).
///
/// ```
/// use asyncio_core::{run, sleep_ms};
/// run(async { sleep_ms(20).await.unwrap() }).unwrap();
/// ```
pub fn sleep_ms(ms: u32) -> Sleep {
    Sleep::new(Wake::After(Delay::Ms(ms)))
}

/// Sleeps until the loop's clock reaches `deadline`; a deadline in the past still waits for the
/// next round, after tasks whose timers expired earlier.
///
/// ```
/// use asyncio_core::{get_event_loop, run, sleep_until};
///
/// let lp = get_event_loop();
/// let deadline = lp.time().add_ticks(100);
/// run(async move { sleep_until(deadline).await.unwrap() }).unwrap();
/// assert!(lp.time() >= deadline);
/// ```
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep::new(Wake::At(deadline))
}

/// Lets every other ready task run once before this one continues (MicroPython's `sleep(0)`).
///
/// ```
/// use asyncio_core::{create_task, run, yield_now};
/// use std::cell::Cell;
/// use std::rc::Rc;
///
/// let log = Rc::new(Cell::new(0));
/// let seen = log.clone();
/// run(async move {
///     let _other = create_task(async move { seen.set(seen.get() + 1) });
///     assert_eq!(log.get(), 0);
///     yield_now().await.unwrap(); // the other task runs here
///     assert_eq!(log.get(), 1);
/// })
/// .unwrap();
/// ```
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future of [`yield_now`]: a zero sleep without the timer's bookkeeping, as task switches
/// through it are the loop's hottest path.
///
/// ```
/// use asyncio_core::{run, yield_now, YieldNow};
///
/// run(async {
///     let turn: YieldNow = yield_now();
///     turn.await.unwrap(); // every other ready task ran once
/// })
/// .unwrap();
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = Result<(), Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if context::take_cancel() {
            return Poll::Ready(Err(Error::Cancelled));
        }
        yield_once(&mut self.yielded, cx).map(Ok)
    }
}

/// Goes to the back of the run queue once, without a timer: pending the first time, ready the
/// next.
fn yield_once(yielded: &mut bool, cx: &mut Context<'_>) -> Poll<()> {
    if *yielded {
        return Poll::Ready(());
    }
    *yielded = true;
    cx.waker().wake_by_ref();
    Poll::Pending
}
