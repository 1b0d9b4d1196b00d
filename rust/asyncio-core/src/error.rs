//! asyncio's exceptions as Rust values.
//!
//! Python raises `CancelledError` into a coroutine at its next `await`; here every loop primitive
//! returns `Err(Cancelled)` instead, and `?` carries it up to the task's end, where the task
//! counts as cancelled. The other exceptions of the asyncio API are variants of [`Error`].

use core::fmt;

/// The task awaiting this operation was cancelled (Python's `CancelledError`).
///
/// Loop primitives return it at the task's next await after [`TaskRef::cancel`]; propagate it
/// with `?` so the task ends cancelled, or handle it to run cleanup first.
///
/// ```
/// use asyncio_core::{sleep_ms, Cancelled};
///
/// async fn worker() -> Result<(), Cancelled> {
///     loop {
///         sleep_ms(100).await?; // ends the task when it is cancelled
///     }
/// }
/// # let _ = worker;
/// ```
///
/// [`TaskRef::cancel`]: crate::TaskRef::cancel
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task was cancelled")
    }
}

/// The errors of the asyncio API.
///
/// ```
/// use asyncio_core::Error;
/// let e: Error = asyncio_core::Cancelled.into();
/// assert_eq!(e, Error::Cancelled);
/// assert_eq!(e.to_string(), "task was cancelled");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The awaiting task was cancelled (`CancelledError`).
    Cancelled,
    /// A `wait_for` deadline passed first (`TimeoutError`).
    Timeout,
    /// `run()` or `run_until_complete()` was called from inside a running loop; MicroPython
    /// crashes here, CPython raises `RuntimeError`.
    NestedRun,
    /// The operation needs the loop to be stopped (e.g. `close()` from inside a task).
    LoopRunning,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Error::Cancelled => "task was cancelled",
            Error::Timeout => "timed out",
            Error::NestedRun => "asyncio::run() cannot be called from a running event loop",
            Error::LoopRunning => "the event loop is running",
        })
    }
}

impl From<Cancelled> for Error {
    fn from(_: Cancelled) -> Self {
        Error::Cancelled
    }
}

impl core::error::Error for Error {}
impl core::error::Error for Cancelled {}

/// An error type a task may end with.
///
/// The loop needs two things from it: a way to represent "this task was cancelled" (for tasks
/// cancelled before they ran, whose future never produced a value), and a way to tell a
/// cancellation from a failure, because only failures reach the loop's exception handler.
///
/// ```
/// use asyncio_core::{Cancelled, TaskError};
///
/// #[derive(Debug)]
/// enum AppError {
///     Cancelled,
///     Sensor(u8),
/// }
/// impl From<Cancelled> for AppError {
///     fn from(_: Cancelled) -> Self {
///         AppError::Cancelled
///     }
/// }
/// impl TaskError for AppError {
///     fn is_cancelled(&self) -> bool {
///         matches!(self, AppError::Cancelled)
///     }
/// }
/// assert!(AppError::from(Cancelled).is_cancelled());
/// assert!(!AppError::Sensor(3).is_cancelled());
/// ```
pub trait TaskError: fmt::Debug + From<Cancelled> + 'static {
    /// Whether this error means the task was cancelled rather than failed.
    fn is_cancelled(&self) -> bool;
}

impl TaskError for Cancelled {
    fn is_cancelled(&self) -> bool {
        true
    }
}

impl TaskError for Error {
    fn is_cancelled(&self) -> bool {
        *self == Error::Cancelled
    }
}

/// What a task's future may return: `()` or `Result<T, E>` with `E:` [`TaskError`].
///
/// Awaiting a [`Task`](crate::Task) yields `Result<Self::Ok, Self::Err>`, so a task returning
/// `Result<T, E>` hands its result straight to whoever awaits it, and a `()` task yields
/// `Ok(())` or `Err(Cancelled)`.
///
/// ```
/// use asyncio_core::{create_task, run, Error};
///
/// let v = run(async {
///     let t = create_task(async { Ok::<u32, Error>(42) });
///     t.await
/// });
/// assert_eq!(v.unwrap(), Ok(42));
/// ```
pub trait TaskOutput: 'static {
    /// The value a successful task produces.
    type Ok;
    /// The error a failed or cancelled task produces.
    type Err: TaskError;

    /// Splits the output into success and failure.
    fn into_result(self) -> Result<Self::Ok, Self::Err>;

    /// The failure to report to the exception handler, if this output is one (cancellations are
    /// never reported).
    fn failure(&self) -> Option<&dyn fmt::Debug>;

    /// Whether this output means the task ended cancelled.
    fn is_cancelled(&self) -> bool;
}

impl TaskOutput for () {
    type Ok = ();
    type Err = Cancelled;

    fn into_result(self) -> Result<(), Cancelled> {
        Ok(())
    }

    fn failure(&self) -> Option<&dyn fmt::Debug> {
        None
    }

    fn is_cancelled(&self) -> bool {
        false
    }
}

impl<T: 'static, E: TaskError> TaskOutput for Result<T, E> {
    type Ok = T;
    type Err = E;

    fn into_result(self) -> Result<T, E> {
        self
    }

    fn failure(&self) -> Option<&dyn fmt::Debug> {
        match self {
            Err(e) if !e.is_cancelled() => Some(e),
            _ => None,
        }
    }

    fn is_cancelled(&self) -> bool {
        matches!(self, Err(e) if e.is_cancelled())
    }
}
