//! [`Delay`]: a retriggerable timer (micropython-async's `Delay_ms`): a watchdog, a light that
//! goes off a while after the last movement.

use core::cell::Cell;
use core::pin::pin;

use futures_util::future::{select, Either};

use super::notification::{Forfeited, Notification};
use crate::context;
use crate::error::Result;
use crate::raw::wait_list::WaitList;
use crate::sleep::sleep_until;
use crate::time::{ms_to_ticks, Instant};

/// A retriggerable timer: [`trigger`](Delay::trigger) starts it, or restarts it if it runs;
/// [`wait`](Delay::wait) completes when it runs out. Any number of tasks may wait.
///
/// ```
/// use asyncio_core::{create_task, run, sleep_ms, ticks_ms, Delay, Error};
/// use std::rc::Rc;
///
/// let out = run(async {
///     let light = Rc::new(Delay::new(1000)); // off 1 s after the last movement
///     let l = light.clone();
///     let off = create_task(async move {
///         l.wait().await?;
///         Ok::<_, Error>(ticks_ms())
///     });
///     for _ in 0..3 {
///         light.trigger(); // movement: the light stays on
///         sleep_ms(500).await?;
///     }
///     off.await
/// });
/// assert_eq!(out.unwrap(), Ok(2000)); // 1 s after the last trigger, at 1000 ms
/// ```
pub struct Delay {
    duration_ms: Cell<u32>,
    /// When it runs out, while it runs.
    deadline: Cell<Option<Instant>>,
    /// How many times it ran out: what a waiter waits to change.
    expirations: Cell<u32>,
    /// Waiters, woken whenever the deadline changes or passes.
    waiters: WaitList,
}

impl Delay {
    /// A stopped timer that runs `ms` milliseconds once triggered.
    ///
    /// ```
    /// use asyncio_core::Delay;
    ///
    /// struct Node {
    ///     watchdog: Delay,
    /// }
    ///
    /// let node = Node { watchdog: Delay::new(5000) }; // runs out 5 s after the last kick
    /// assert!(!node.watchdog.running()); // until triggered
    /// ```
    pub const fn new(ms: u32) -> Self {
        Delay {
            duration_ms: Cell::new(ms),
            deadline: Cell::new(None),
            expirations: Cell::new(0),
            waiters: WaitList::new(),
        }
    }

    /// Starts the timer for its duration from now, or restarts it if it is running.
    ///
    /// ```
    /// use asyncio_core::{run, sleep_ms, Delay};
    ///
    /// let out = run(async {
    ///     let d = Delay::new(100);
    ///     d.trigger();
    ///     sleep_ms(50).await?;
    ///     d.trigger(); // restarted: now runs out at 150 ms
    ///     d.wait().await?;
    ///     Ok::<_, asyncio_core::Error>(asyncio_core::ticks_ms())
    /// });
    /// assert_eq!(out.unwrap(), Ok(150));
    /// ```
    pub fn trigger(&self) {
        self.trigger_ms(self.duration_ms.get());
    }

    /// Like [`trigger`](Self::trigger), for `ms` milliseconds (which becomes its duration).
    ///
    /// ```
    /// use asyncio_core::{run, Delay};
    ///
    /// let out = run(async {
    ///     let backoff = Delay::new(100);
    ///     backoff.trigger_ms(400); // this time 400 ms (and from now on)
    ///     backoff.wait().await?;
    ///     Ok::<_, asyncio_core::Error>(asyncio_core::ticks_ms())
    /// });
    /// assert_eq!(out.unwrap(), Ok(400));
    /// ```
    pub fn trigger_ms(&self, ms: u32) {
        self.duration_ms.set(ms);
        let core = context::current_loop();
        let ticks = ms_to_ticks(u64::from(ms), core.platform().ticks_per_second());
        self.deadline.set(Some(core.now().add_ticks(ticks)));
        self.waiters.notify_all();
    }

    /// Stops the timer without running out: waiters go on waiting for a later run-out.
    ///
    /// ```
    /// use asyncio_core::{run, timeout_ms, Delay, Error};
    ///
    /// let out = run(async {
    ///     let d = Delay::new(100);
    ///     d.trigger();
    ///     d.stop(); // never runs out now
    ///     timeout_ms(500, d.wait()).await
    /// });
    /// assert_eq!(out.unwrap(), Err(Error::Timeout));
    /// ```
    pub fn stop(&self) {
        self.deadline.set(None);
        self.waiters.notify_all();
    }

    /// Whether the timer runs (triggered, not yet run out or stopped).
    pub fn running(&self) -> bool {
        self.deadline.get().is_some()
    }

    /// Waits until the timer runs out (a stop is no run-out); `Err(Error::Cancelled)` if the
    /// waiting task is cancelled.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, sleep_ms, Delay, Error};
    /// use std::rc::Rc;
    ///
    /// let out = run(async {
    ///     let idle = Rc::new(Delay::new(1000));
    ///     idle.trigger();
    ///     let (a, b) = (idle.clone(), idle.clone());
    ///     let first = create_task(async move { a.wait().await });
    ///     let second = create_task(async move { b.wait().await });
    ///     sleep_ms(10).await?;
    ///     Ok::<_, Error>((first.await?, second.await?)) // both woken by the one run-out
    /// });
    /// assert_eq!(out.unwrap(), Ok(((), ())));
    /// ```
    pub async fn wait(&self) -> Result<()> {
        let seen = self.expirations.get();
        loop {
            if self.expirations.get() != seen {
                return Ok(());
            }
            let deadline = self.deadline.get();
            let changed = pin!(Notification::wait(&self.waiters, "Delay", Forfeited::Lost));
            match deadline {
                None => changed.await?,
                Some(at) => match select(changed, pin!(sleep_until(at))).await {
                    Either::Left((changed, _)) => changed?,
                    Either::Right((due, _)) => {
                        due?;
                        self.run_out(at);
                    }
                },
            }
        }
    }

    /// The deadline `at` passed: unless it was moved meanwhile, the timer has run out.
    fn run_out(&self, at: Instant) {
        if self.deadline.get() == Some(at) {
            self.deadline.set(None);
            self.expirations.set(self.expirations.get().wrapping_add(1));
            self.waiters.notify_all();
        }
    }
}
