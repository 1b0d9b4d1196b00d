//! The loop's exception handler: where failures that nobody awaited end up.
//!
//! A task that ends with an error (not a cancellation) while nobody awaits it gets one more
//! scheduling round for someone to retrieve the error; after that the loop hands it to the
//! handler, as MicroPython does ("Task exception wasn't retrieved").

extern crate alloc;

use alloc::rc::Rc;
use core::fmt;

use crate::{Loop, TaskRef};

/// What the loop tells its exception handler (Python's `context` dict).
///
/// ```
/// use asyncio_core::{create_task, get_event_loop, run, yield_now, Error};
/// use std::cell::RefCell;
/// use std::rc::Rc;
///
/// let seen = Rc::new(RefCell::new(String::new()));
/// let sink = seen.clone();
/// get_event_loop().set_exception_handler(Some(Rc::new(move |_, ctx| {
///     *sink.borrow_mut() = format!("{}: {:?}", ctx.task.name(), ctx.failure);
/// })));
/// run(async {
///     let t = create_task(async { Err::<(), _>(Error::Timeout) });
///     t.set_name("probe");
///     yield_now().await.unwrap();
///     yield_now().await.unwrap();
/// })
/// .unwrap();
/// assert_eq!(*seen.borrow(), "probe: Timeout");
/// get_event_loop().set_exception_handler(None);
/// ```
pub struct ExceptionContext<'a> {
    /// What happened, e.g. `"Task exception wasn't retrieved"`.
    pub message: &'a str,
    /// The task's error.
    pub failure: &'a dyn fmt::Debug,
    /// The task that failed.
    pub task: TaskRef,
}

/// A loop exception handler: called on the loop thread with the loop and the context. A
/// closure, so it can capture where to report (Python handlers are often lambdas).
///
/// ```
/// use asyncio_core::{create_task, get_event_loop, run, yield_now, Error};
/// use std::cell::RefCell;
/// use std::rc::Rc;
///
/// let reports = Rc::new(RefCell::new(Vec::new()));
/// let sink = reports.clone();
/// get_event_loop().set_exception_handler(Some(Rc::new(move |_, ctx| {
///     sink.borrow_mut().push(format!("{:?}", ctx.failure));
/// })));
/// run(async {
///     let _detached = create_task(async { Err::<(), _>(Error::Timeout) });
///     for _ in 0..3 {
///         yield_now().await.unwrap();
///     }
/// })
/// .unwrap();
/// assert_eq!(*reports.borrow(), ["Timeout"]);
/// ```
pub type ExceptionHandler = Rc<dyn Fn(Loop, &ExceptionContext<'_>)>;

/// The handler used when none is set: logs the failure with the task's name at error level.
///
/// ```
/// use asyncio_core::{default_exception_handler, get_event_loop};
/// use std::rc::Rc;
///
/// // Log as the default does, then count.
/// get_event_loop().set_exception_handler(Some(Rc::new(|lp, ctx| {
///     default_exception_handler(lp, ctx);
/// })));
/// # get_event_loop().set_exception_handler(None);
/// ```
pub fn default_exception_handler(_: Loop, context: &ExceptionContext<'_>) {
    log::error!(
        "{}: task {} ended with {:?}",
        context.message,
        context.task.name(),
        context.failure
    );
}
