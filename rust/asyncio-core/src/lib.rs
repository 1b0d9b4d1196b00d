//! MicroPython's `asyncio` programming model as a portable Rust event loop.
//!
//! This crate is the platform-independent core of `zephyr-asyncio`: tasks, the scheduler,
//! timers, cancellation and the asyncio primitives, with no Zephyr types. The `zephyr-asyncio`
//! crate runs it on a Zephyr thread blocked in one `k_poll`; the `std` feature runs it on a
//! desktop thread for tests.
//!
//! | MicroPython                      | Rust                                        |
//! |----------------------------------|---------------------------------------------|
//! | `asyncio.run(main())`            | [`run`]`(main())`                           |
//! | `t = asyncio.create_task(coro)`  | `let t = `[`create_task`]`(fut);`           |
//! | `await t`                        | `t.await` (yields the task's `Result`)      |
//! | `t.cancel()`, `t.done()`         | [`TaskRef::cancel`], [`TaskRef::done`]      |
//! | `await asyncio.sleep(0.5)`       | [`sleep`]`(Duration::from_millis(500)).await?` |
//! | `await asyncio.sleep_ms(10)`     | [`sleep_ms`]`(10).await?`                   |
//! | `except asyncio.CancelledError`  | `Err(`[`Error::Cancelled`]`)` from any loop primitive |
//! | `asyncio.current_task()`         | [`current_task`]                            |
//! | `asyncio.get_event_loop()`       | [`get_event_loop`]                          |
//! | `async with asyncio.TaskGroup()` | [`task_group`]`(\|tg\| async move { .. })`   |
//! | `async with asyncio.timeout(d)`  | [`timeout`]`(d, fut)`, [`timeout_ms`]        |
//! | `asyncio.shield`, `wait`, `as_completed` | [`shield`], [`wait`], [`as_completed`] |
//! | (none: a priority wait)          | [`urgent`]`(flag.wait())`                   |
//!
//! ```
//! use asyncio_core::{create_task, run, sleep_ms, Error};
//! use core::cell::RefCell;
//! use std::rc::Rc;
//!
//! async fn heartbeat(name: &'static str, ms: u32, log: Rc<RefCell<Vec<&'static str>>>) -> Result<(), Error> {
//!     loop {
//!         log.borrow_mut().push(name);
//!         sleep_ms(ms).await?;
//!     }
//! }
//!
//! let log = Rc::new(RefCell::new(Vec::new()));
//! let seen = log.clone();
//! run(async move {
//!     let fast = create_task(heartbeat("fast", 100, seen.clone()));
//!     let slow = create_task(heartbeat("slow", 500, seen));
//!     sleep_ms(1000).await.unwrap();
//!     fast.cancel();
//!     slow.cancel();
//! })
//! .unwrap();
//! let log = log.borrow();
//! assert_eq!(log.iter().filter(|n| **n == "fast").count(), 10);
//! assert_eq!(log.iter().filter(|n| **n == "slow").count(), 2);
//! ```
//!
//! Design notes live in `docs/` of the repository; the scheduler itself is the private module
//! `scheduler` (short, and worth reading).

#![no_std]
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod context;
mod controls;
mod coordination;
mod diagnostics;
mod error;
mod event_loop;
mod exception;
#[cfg(feature = "std")]
pub mod host;
#[cfg(any(feature = "http", feature = "http-server"))]
pub mod http;
pub mod io;
mod loop_handle;
mod loop_storage;
#[cfg(feature = "mqtt")]
pub mod mqtt;
mod platform;
mod raw;
mod registry;
mod scheduler;
mod sleep;
mod stats;
mod sync;
mod task;
mod task_dump;
mod time;
#[cfg(feature = "tls")]
pub mod tls;
mod waiting;

pub use context::check_cancel;
pub use controls::{Contact, Press, Pushbutton, Quadrature, Switch};
pub use coordination::{
    as_completed, drop_after, drop_after_ms, gather, task_group, timeout, timeout_at, timeout_ms,
    wait, wait_for, wait_for_ms, AsCompleted, Children, DropAfter, Gather, GatherResults,
    GroupError, GroupScope, IntoChildren, ReturnWhen, TaskGroup, Timeout, WaitFor,
};
pub use diagnostics::Diagnostics;
pub use error::{Error, Result, TaskError, TaskOutput};
pub use event_loop::{get_event_loop, get_running_loop, new_event_loop, run, ticks_ms, Loop};
pub use exception::{default_exception_handler, ExceptionContext, ExceptionHandler};
pub use loop_handle::{LoopHandle, RemoteCall};
pub use loop_storage::LoopStorage;
pub use platform::{Platform, System};
pub use raw::waker::wake_io;
pub use sleep::{sleep, sleep_ms, sleep_until, yield_now, Sleep, YieldNow};
pub use stats::LoopStats;
pub use sync::{
    Acquire, Barrier, BarrierWait, BoundedSemaphore, Condition, Delay, Event, FlagWait, Get, Lock,
    LockGuard, Permit, Put, Queue, Semaphore, SemaphoreAcquire, ThreadSafeFlag,
};
pub use task::{
    create_task, current_task, note_waiting, shield, task_size, try_create_task, urgent, IntoTask,
    Join, SharedJoin, SharedTask, Task, TaskPool, TaskRef, Urgent, Wait, Waiting,
};
pub use task_dump::TaskDump;
pub use time::Instant;

/// The task header's fields and their sizes in bytes on this target (then its padding), for
/// `scripts/bench`'s memory breakdown. Not an API.
#[doc(hidden)]
pub fn __task_header_layout() -> [(&'static str, usize); 13] {
    raw::header::header_layout()
}
