//! The loop's exception handler: where failures that nobody awaited end up.
//!
//! A task that ends with an error (not a cancellation) while nobody awaits it gets one more
//! scheduling round for someone to retrieve the error; after that the loop hands it to the
//! handler, as MicroPython does ("Task exception wasn't retrieved").

use core::fmt;

use crate::{Loop, TaskRef};

/// What the loop tells its exception handler (Python's `context` dict).
pub struct ExceptionContext<'a> {
    /// What happened, e.g. `"Task exception wasn't retrieved"`.
    pub message: &'a str,
    /// The task's error.
    pub failure: &'a dyn fmt::Debug,
    /// The task that failed.
    pub task: TaskRef,
}

/// A loop exception handler: called on the loop thread with the loop and the context.
///
/// ```
/// use asyncio_core::{create_task, get_event_loop, run, yield_now, Error, ExceptionContext, Loop};
/// use core::sync::atomic::{AtomicU32, Ordering};
///
/// static REPORTED: AtomicU32 = AtomicU32::new(0);
/// fn count(_: Loop, ctx: &ExceptionContext<'_>) {
///     assert_eq!(format!("{:?}", ctx.failure), "Timeout");
///     REPORTED.fetch_add(1, Ordering::Relaxed);
/// }
///
/// get_event_loop().set_exception_handler(Some(count));
/// run(async {
///     let _detached = create_task(async { Err::<(), _>(Error::Timeout) });
///     for _ in 0..3 {
///         yield_now().await.unwrap();
///     }
/// })
/// .unwrap();
/// assert_eq!(REPORTED.load(Ordering::Relaxed), 1);
/// ```
pub type ExceptionHandler = fn(Loop, &ExceptionContext<'_>);

/// The handler used when none is set: logs the failure with the task's name at error level.
pub fn default_exception_handler(_: Loop, context: &ExceptionContext<'_>) {
    log::error!(
        "{}: task {} ended with {:?}",
        context.message,
        context.task.name(),
        context.failure
    );
}
