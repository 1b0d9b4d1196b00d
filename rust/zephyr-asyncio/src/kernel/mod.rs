//! Awaiting Zephyr kernel objects: [`KSem`], [`KMsgq`], [`KFifo`], [`KPollSignal`].
//!
//! A task awaiting one of these does not block a thread: the object joins the loop's single
//! `k_poll` (up to `CONFIG_ASYNCIO_POLL_EVENTS` at once; one more returns
//! `Error::PoolFull`). The producing side — `give`, `put`, `raise` — may be called from any
//! thread or interrupt handler, as in C. Each await is cancellable (it leaves nothing
//! behind) and works under `wait_for`.
//!
//! Zephyr's `k_event` is not among them: `k_poll` cannot wait on it, and waiting would cost a
//! thread. A `ThreadSafeFlag` or a `KPollSignal` does the same job for the loop.

mod fifo;
mod msgq;
mod object;
mod poll_signal;
mod ready;
mod sem;

pub use fifo::KFifo;
pub use msgq::KMsgq;
pub use poll_signal::KPollSignal;
pub use sem::KSem;

/// How many kernel-object awaits are pending in the loop's `k_poll` right now: at most
/// `CONFIG_ASYNCIO_POLL_EVENTS`, beyond which an await returns `Error::PoolFull`. For sizing
/// that option and for diagnostics. Any context.
///
/// ```no_run
/// use asyncio::kernel::{pending_waits, KSem};
///
/// static READY: KSem = KSem::new(0, 1);
///
/// async fn check() -> asyncio::Result<()> {
///     let waiter = asyncio::create_task(READY.take());
///     asyncio::yield_now().await?; // the waiter runs and joins the loop's k_poll
///     assert_eq!(pending_waits(), 1);
///     READY.give();
///     waiter.await
/// }
/// ```
pub fn pending_waits() -> usize {
    crate::reactor::registered()
}
