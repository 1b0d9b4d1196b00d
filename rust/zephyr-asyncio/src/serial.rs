//! [`console_lines`]: lines typed on the console UART, awaited by a task.
//!
//! The UART's receive interrupt handler (`c/serial_lines.c`) assembles lines into a `k_msgq`;
//! [`LineReader::read_line`] awaits that queue in the loop's `k_poll`, so a task reading
//! commands costs nothing while nobody types. Enabled by `CONFIG_ASYNCIO_SERIAL_LINES` (needs
//! `CONFIG_SERIAL` and `CONFIG_UART_INTERRUPT_DRIVEN`); sized by
//! `CONFIG_ASYNCIO_SERIAL_LINE_MAX` and `CONFIG_ASYNCIO_SERIAL_LINE_QUEUE`.
//!
//! Bad input loses nothing silently: a line longer than the maximum arrives as
//! [`LineError::TooLong`], one that is not UTF-8 as [`LineError::NotUtf8`], and lines that
//! found the queue full are counted by [`LineReader::dropped`].
//!
//! ```no_run
//! use asyncio::serial::console_lines;
//!
//! # fn print_status() {}
//! async fn commands() -> asyncio::Result<()> {
//!     let console = console_lines()?;
//!     loop {
//!         match console.read_line().await?.text() {
//!             Ok("status") => print_status(),
//!             Ok(other) => log::info!("unknown command '{other}'"),
//!             Err(e) => log::info!("error: {e}"),
//!         }
//!     }
//! }
//! ```

use core::fmt;
use zephyr::sync::atomic::{AtomicI32, Ordering};

use asyncio_core::{Error, Result};

use crate::kernel::KMsgq;

/// The longest line, `CONFIG_ASYNCIO_SERIAL_LINE_MAX`.
///
/// ```no_run
/// # async fn f() -> asyncio::Result<()> {
/// let line = asyncio::serial::console_lines()?.read_line().await?;
/// assert!(line.bytes().len() <= asyncio::serial::LINE_MAX);
/// # Ok(()) }
/// ```
pub const LINE_MAX: usize = zephyr::kconfig::CONFIG_ASYNCIO_SERIAL_LINE_MAX as usize;

/// `struct asyncio_serial_line` of `c/serial_lines.c`.
#[repr(C)]
#[derive(Clone, Copy)]
struct RawLine {
    len: u16,
    too_long: u8,
    text: [u8; LINE_MAX],
}

// Kernel objects hold a `k_spinlock`, an empty struct in C on uniprocessor builds, which
// rustc cannot vouch for across FFI; only the object's address is passed on.
#[allow(improper_ctypes)]
extern "C" {
    fn asyncio_serial_lines_start() -> i32;
    static mut asyncio_serial_lines: zephyr::raw::k_msgq;
    static asyncio_serial_lines_dropped: AtomicI32;
}

/// The console UART's lines. Get it with [`console_lines`].
///
/// ```no_run
/// # async fn f() -> asyncio::Result<()> {
/// let console = asyncio::serial::console_lines()?;
/// let line = console.read_line().await?;
/// log::info!("{} lines dropped so far", console.dropped());
/// # let _ = line; Ok(()) }
/// ```
pub struct LineReader {
    queue: KMsgq<RawLine>,
}

static CONSOLE: LineReader = LineReader {
    // SAFETY: `asyncio_serial_lines` is K_MSGQ_DEFINE'd in c/serial_lines.c with messages of
    // `struct asyncio_serial_line`, which `RawLine` mirrors, and lives for the whole program.
    queue: unsafe { KMsgq::from_raw(&raw mut asyncio_serial_lines) },
};

/// The console UART's lines; the first call enables its receive interrupt.
///
/// # Errors
/// `Error::Os(-ENODEV)` if the console UART is not ready, or the driver's error if it has no
/// interrupt-driven API.
///
/// ```no_run
/// # async fn f() -> asyncio::Result<()> {
/// let console = asyncio::serial::console_lines()?; // enables the UART's receive interrupt
/// let first = console.read_line().await?;
/// # let _ = first; Ok(()) }
/// ```
pub fn console_lines() -> Result<&'static LineReader> {
    // SAFETY: a C call without arguments; idempotent, and only the loop thread calls it.
    match unsafe { asyncio_serial_lines_start() } {
        0 => Ok(&CONSOLE),
        err => Err(Error::Os(err)),
    }
}

impl LineReader {
    /// Waits for the next line (without its `\n` or `\r`). `Err` only if the task is cancelled.
    ///
    /// ```no_run
    /// use asyncio::serial::console_lines;
    ///
    /// async fn echo() -> asyncio::Result<()> {
    ///     let console = console_lines()?;
    ///     loop {
    ///         let line = console.read_line().await?;
    ///         log::info!("{} bytes", line.bytes().len());
    ///     }
    /// }
    /// ```
    pub async fn read_line(&'static self) -> Result<Line> {
        Ok(Line(self.queue.get().await?))
    }

    /// How many lines were lost because the queue was full (raise
    /// `CONFIG_ASYNCIO_SERIAL_LINE_QUEUE`, or read faster).
    pub fn dropped(&self) -> u32 {
        // SAFETY: an atomic the C handler only increments.
        unsafe { asyncio_serial_lines_dropped.load(Ordering::Relaxed) as u32 }
    }
}

/// A line as typed: its bytes, and whether it was cut at [`LINE_MAX`].
///
/// ```no_run
/// # fn execute(_: &str) {}
/// # async fn f() -> asyncio::Result<()> {
/// match asyncio::serial::console_lines()?.read_line().await?.text() {
///     Ok(command) => execute(command),
///     Err(e) => log::info!("error: {e}"), // too long or not UTF-8: reported, not dropped
/// }
/// # Ok(()) }
/// ```
pub struct Line(RawLine);

impl Line {
    /// The line as text, or why it cannot be.
    ///
    /// ```no_run
    /// # async fn f() -> asyncio::Result<()> {
    /// let line = asyncio::serial::console_lines()?.read_line().await?;
    /// if let Ok(command) = line.text() {
    ///     log::info!("command: {}", command.trim());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn text(&self) -> core::result::Result<&str, LineError> {
        if self.0.too_long != 0 {
            return Err(LineError::TooLong);
        }
        core::str::from_utf8(self.bytes()).map_err(|_| LineError::NotUtf8)
    }

    /// The bytes received (the first [`LINE_MAX`] of an overlong line).
    pub fn bytes(&self) -> &[u8] {
        &self.0.text[..usize::from(self.0.len).min(LINE_MAX)]
    }
}

/// Why a [`Line`] is not text.
///
/// ```no_run
/// use asyncio::serial::LineError;
///
/// # async fn f() -> asyncio::Result<()> {
/// let line = asyncio::serial::console_lines()?.read_line().await?;
/// if line.text() == Err(LineError::TooLong) {
///     log::info!("line longer than {} bytes, ignored", asyncio::serial::LINE_MAX);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineError {
    /// Longer than [`LINE_MAX`] bytes; the rest was discarded.
    TooLong,
    /// Not valid UTF-8.
    NotUtf8,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::TooLong => write!(f, "line longer than {LINE_MAX} bytes, ignored"),
            LineError::NotUtf8 => f.write_str("line is not UTF-8, ignored"),
        }
    }
}
