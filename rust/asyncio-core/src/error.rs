//! asyncio's exceptions as Rust values.
//!
//! Python raises `CancelledError` into a coroutine at its next `await`; here every loop primitive
//! returns `Err(Error::Cancelled)` instead, and `?` carries it up to the task's end, where the
//! task counts as cancelled. All of asyncio's exceptions are variants of one [`Error`], as they
//! share one hierarchy in Python, so `?` works across every primitive.

use core::fmt;

/// `Result` with asyncio's [`Error`], what every loop primitive returns.
///
/// ```
/// use asyncio_core::{sleep_ms, Result};
///
/// async fn worker() -> Result<()> {
///     loop {
///         sleep_ms(100).await?; // ends the task when it is cancelled
///     }
/// }
/// # let _ = worker;
/// ```
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// The errors of the asyncio API (Python's asyncio exceptions).
///
/// ```
/// use asyncio_core::Error;
/// assert_eq!(Error::Cancelled.to_string(), "task was cancelled");
/// assert!(Error::Cancelled.is_cancelled());
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
    /// A value out of range, e.g. releasing a `BoundedSemaphore` above its initial value
    /// (`ValueError`).
    ValueError,
    /// `Condition::notify` without holding the condition's lock (`RuntimeError`).
    LockNotHeld,
    /// A primitive used from a loop it does not belong to: a `ThreadSafeFlag` waited on by
    /// tasks of two loops at once, a socket waited on from another loop than its own, a Zephyr
    /// adapter polled by a loop on another platform.
    WrongLoop,
    /// No enabled devicetree node with this node label is a device of the kind asked for (a
    /// pin, a UART...): a typo, a node disabled in the devicetree, a missing overlay, or (for
    /// devices found by label: UARTs, sensors, input devices) a driver that failed at boot.
    NoDevice {
        /// The node label asked for.
        label: &'static str,
    },
    /// The GPIO or PWM controller of this node label's pin or channel did not initialise (its
    /// driver failed at boot).
    NotReady {
        /// The node label.
        label: &'static str,
    },
    /// The device of this node label is already used by another adapter (a second `Uart` on
    /// one UART would silently take over its interrupt).
    Busy {
        /// The node label.
        label: &'static str,
    },
    /// Bytes arrived while the receive buffer was full and were dropped: reported once, at
    /// the place in the stream where they are missing (what came before was delivered; what
    /// comes after follows).
    Overrun {
        /// How many bytes were dropped.
        lost: u32,
    },
    /// The awaited task failed: what [`TaskRef::wait`](crate::TaskRef::wait) reports (the
    /// error itself goes to whoever takes the task's result, else to the exception handler).
    TaskFailed,
    /// An operation that needs the running loop (a wait on a kernel object or a socket) was
    /// polled outside any running loop (Python's `RuntimeError: no running event loop`).
    NoRunningLoop,
    /// A fixed-size pool is full (e.g. too many tasks waiting on kernel objects at once for the
    /// loop's poll set); the operation was not started. Raise the pool's configured size.
    PoolFull,
    /// A [`TaskGroup`](crate::TaskGroup) refused a task: its scope has finished, or it is
    /// cancelling its members after a failure or a cancellation (CPython's `RuntimeError`).
    GroupClosed,
    /// The heap has no room for what was to be created (a task, from
    /// [`try_create_task`](crate::try_create_task)); nothing was created.
    NoMemory,
    /// A call to the system failed with this (negative) error number (Python's `OSError`).
    Os(i32),
    /// `readexactly(expected)` met the end of the stream after `received` bytes
    /// (`IncompleteReadError`). The bytes stay in the reader's buffer.
    IncompleteRead {
        /// How many bytes were asked for.
        expected: usize,
        /// How many arrived before the end of the stream.
        received: usize,
    },
    /// `readline()` found no newline within the reader's line limit (`LimitOverrunError`).
    /// The bytes stay in the reader's buffer.
    LineTooLong {
        /// The reader's line limit, in bytes, newline included.
        limit: usize,
    },
    /// The peer refused the connection (`ConnectionRefusedError`).
    ConnectionRefused,
    /// The peer reset the connection or stopped reading (`ConnectionResetError`,
    /// `BrokenPipeError`).
    ConnectionReset,
    /// The stream was closed on this side (`close()`) before or during the operation.
    Closed,
    /// A host name could not be resolved (`socket.gaierror`).
    HostNotFound,
    /// A datagram of `size` bytes did not fit the buffer given to receive it: the buffer holds
    /// its first bytes, the rest was dropped (a socket returns one datagram per receive;
    /// MicroPython's `recv` cuts it without saying so).
    Truncated {
        /// The datagram's whole length.
        size: usize,
    },
    /// The peer broke its protocol: a malformed packet, or one that may not come at this point
    /// (an MQTT broker that sends garbage). The connection is given up; nothing else is.
    Protocol,
    /// The peer refused a request with this reason code (an MQTT broker refusing the
    /// connection with `0x87` "not authorized", a subscription or a publication).
    Rejected {
        /// The protocol's reason code.
        code: u8,
    },
    /// A message from the peer is larger than the `limit` the caller set (an HTTP response
    /// larger than its buffer): it was read no further and is not returned.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A bounded queue is full: nothing was queued (Python's `asyncio.QueueFull`), e.g. an
    /// MQTT client's outbox while the broker is away.
    QueueFull,
    /// The server's TLS certificate failed verification: not signed by the trusted CA, made
    /// out to another name, or its signature does not hold. Nothing was sent.
    Certificate,
    /// The TLS handshake failed: the peer refused (an alert: it requires a client
    /// certificate, speaks no TLS 1.3...) or sent what TLS does not allow.
    Handshake,
}

impl Error {
    /// Whether this is a cancellation (as opposed to a failure).
    pub fn is_cancelled(&self) -> bool {
        *self == Error::Cancelled
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Error::Cancelled => "task was cancelled",
            Error::Timeout => "timed out",
            Error::NestedRun => "asyncio::run() cannot be called from a running event loop",
            Error::LoopRunning => "the event loop is running",
            Error::ValueError => "value out of range",
            Error::LockNotHeld => "the lock is not held",
            Error::WrongLoop => "used from a loop it does not belong to",
            Error::NoRunningLoop => "no asyncio loop is running on this thread",
            Error::TaskFailed => "the awaited task failed",
            Error::NoDevice { label } => {
                return write!(
                    f,
                    "no enabled devicetree node labelled '{label}' of that kind"
                )
            }
            Error::NotReady { label } => {
                return write!(f, "the device labelled '{label}' did not initialise")
            }
            Error::Busy { label } => {
                return write!(f, "the device labelled '{label}' is already in use")
            }
            Error::Overrun { lost } => {
                return write!(f, "receive buffer overrun: {lost} bytes lost here")
            }
            Error::PoolFull => "a fixed-size pool is full",
            Error::GroupClosed => "the task group has finished or is cancelling its tasks",
            Error::NoMemory => "out of heap memory",
            Error::Os(errno) => return write!(f, "system error {errno}"),
            Error::IncompleteRead { expected, received } => {
                return write!(f, "stream ended after {received} of {expected} bytes")
            }
            Error::LineTooLong { limit } => {
                return write!(f, "no newline within the line limit of {limit} bytes")
            }
            Error::ConnectionRefused => "connection refused",
            Error::ConnectionReset => "connection reset by peer",
            Error::Closed => "the stream is closed",
            Error::HostNotFound => "host name not found",
            Error::Truncated { size } => {
                return write!(f, "a datagram of {size} bytes was cut to fit the buffer")
            }
            Error::Protocol => "the peer broke the protocol",
            Error::Rejected { code } => {
                return write!(f, "the peer refused the request (reason code {code:#04x})")
            }
            Error::TooLarge { limit } => {
                return write!(f, "the message is larger than the limit of {limit} bytes")
            }
            Error::QueueFull => "the queue is full",
            Error::Certificate => "the peer's TLS certificate failed verification",
            Error::Handshake => "the TLS handshake failed",
        })
    }
}

impl core::error::Error for Error {}

/// An error type a task may end with: asyncio's [`Error`], or an application error that can
/// carry one (the usual "wrap the library's error" pattern), so that `?` on any loop primitive
/// works inside the task.
///
/// The loop needs to tell a cancellation from a failure, because only failures reach the loop's
/// exception handler.
///
/// ```
/// use asyncio_core::{Error, TaskError};
///
/// #[derive(Debug)]
/// enum AppError {
///     Asyncio(Error),
///     Sensor(u8),
/// }
/// impl From<Error> for AppError {
///     fn from(e: Error) -> Self {
///         AppError::Asyncio(e)
///     }
/// }
/// impl TaskError for AppError {
///     fn is_cancelled(&self) -> bool {
///         matches!(self, AppError::Asyncio(e) if e.is_cancelled())
///     }
/// }
/// assert!(AppError::from(Error::Cancelled).is_cancelled());
/// assert!(!AppError::Sensor(3).is_cancelled());
/// ```
pub trait TaskError: fmt::Debug + From<Error> + 'static {
    /// Whether this error means the task was cancelled rather than failed.
    fn is_cancelled(&self) -> bool;
}

impl TaskError for Error {
    fn is_cancelled(&self) -> bool {
        Error::is_cancelled(self)
    }
}

/// What a task's future may return: `()` or `Result<T, E>` with `E:` [`TaskError`].
///
/// Awaiting a [`Task`](crate::Task) yields `Result<Self::Ok, Self::Err>`, so a task returning
/// `Result<T, E>` hands its result straight to whoever awaits it, and a `()` task yields
/// `Ok(())` or `Err(Error::Cancelled)`.
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

    /// The error this output carries, if any (a cancellation too), without taking it: how a
    /// [`TaskGroup`](crate::TaskGroup) collects its members' errors while their handles can
    /// still take them.
    fn error(&self) -> Option<&Self::Err>;
}

impl TaskOutput for () {
    type Ok = ();
    type Err = Error;

    fn into_result(self) -> Result<()> {
        Ok(())
    }

    fn failure(&self) -> Option<&dyn fmt::Debug> {
        None
    }

    fn is_cancelled(&self) -> bool {
        false
    }

    fn error(&self) -> Option<&Error> {
        None
    }
}

impl<T: 'static, E: TaskError> TaskOutput for core::result::Result<T, E> {
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

    fn error(&self) -> Option<&E> {
        self.as_ref().err()
    }
}
