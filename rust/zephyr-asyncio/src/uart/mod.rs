//! Any UART of the devicetree as an `embedded-io-async` transport, so that asyncio's
//! [`StreamReader`] and [`StreamWriter`] work on it: `readline()`, `readexactly()`,
//! `write()` + `drain()`. Enabled by `CONFIG_ASYNCIO_UART` (on by default with
//! `CONFIG_UART_INTERRUPT_DRIVEN`).
//!
//! | MicroPython | here |
//! |---|---|
//! | `uart = UART(1, 115200)` | `Uart::from_dt(dt_node!(uart1))?` (speed from the devicetree's `current-speed`) |
//! | `reader = asyncio.StreamReader(uart)` | `let (mut reader, mut writer) = uart.into_streams();` |
//! | `line = await reader.readline()` | `let line = reader.readline().await?;` |
//! | `writer.write(b"ok\n"); await writer.drain()` | `writer.write(b"ok\n"); writer.drain().await?;` (`write` puts what fits into the transmit ring at once, as MicroPython's does) |
//!
//! The UART's interrupt handler (registered from Rust, through the driver's interrupt-driven
//! API) moves bytes between the FIFOs and two rings sized by `CONFIG_ASYNCIO_UART_RX_RING` and
//! `CONFIG_ASYNCIO_UART_TX_RING`, and wakes the reading or writing task at once; nothing
//! polls. Bytes arriving while nobody reads are kept up to the ring's size; beyond it they are
//! dropped and counted, and the reader gets `Err(Error::Overrun { lost })` exactly where they
//! are missing: never a silent gap inside a line. A line longer than the reader's limit is
//! `Err(Error::LineTooLong)` with the bytes kept, as on any stream.
//!
//! ```no_run
//! use asyncio::uart::Uart;
//! use asyncio::{dt_node, Error};
//!
//! async fn commands() -> asyncio::Result<()> {
//!     let (mut reader, mut writer) = Uart::from_dt(dt_node!(uart1))?.into_streams();
//!     loop {
//!         match reader.readline().await {
//!             Ok(line) if line.starts_with(b"ping") => writer.write(b"pong\n"),
//!             Ok(_) => writer.write(b"unknown command\n"),
//!             Err(Error::Overrun { lost }) => log::warn!("{lost} bytes lost"),
//!             Err(e) => return Err(e),
//!         }
//!         writer.drain().await?;
//!     }
//! }
//! ```

mod irq;
mod rx;
mod tx;

use asyncio_core::io::{StreamReader, StreamWriter};
use asyncio_core::Result;

pub use irq::{open_uarts, RX_RING, TX_RING};
pub use rx::UartRx;
pub use tx::UartTx;

use crate::DtNode;

/// A UART of the devicetree, open: its interrupt handler registered, receiving. Split it into
/// its halves ([`split`](Uart::split)) or streams ([`into_streams`](Uart::into_streams)); the
/// UART is closed (its handler unregistered, its interrupts off) once both halves are dropped.
///
/// ```no_run
/// use asyncio::uart::Uart;
///
/// async fn hello_gps() -> asyncio::Result<()> {
///     let (mut reader, _writer) = Uart::from_dt(asyncio::dt_node!(uart1))?.into_streams();
///     let fix = reader.readline().await?; // "$GPGGA,..."
///     log::info!("{} bytes", fix.len());
///     Ok(())
/// }
/// ```
pub struct Uart {
    rx: UartRx,
    tx: UartTx,
}

impl Uart {
    /// Opens the UART of devicetree node `node`. `Err(Error::NoDevice)` naming the node if it
    /// is disabled, no device, or its driver failed at boot, `Err(Error::Busy)` if it is already open, `Err(Error::Os(-ENOSYS))` if its driver has
    /// no interrupt-driven API.
    ///
    /// ```no_run
    /// use asyncio::uart::Uart;
    /// use asyncio::Error;
    ///
    /// fn modem() -> asyncio::Result<Uart> {
    ///     match Uart::from_dt(asyncio::dt_node!(uart1)) {
    ///         Err(Error::Busy { label }) => {
    ///             log::error!("{label} is open elsewhere");
    ///             Err(Error::Busy { label })
    ///         }
    ///         other => other,
    ///     }
    /// }
    /// ```
    pub fn from_dt(node: DtNode) -> Result<Uart> {
        let shared = irq::Shared::open(node.device()?, node.label())?;
        Ok(Uart {
            rx: UartRx {
                shared: shared.clone(),
            },
            tx: UartTx { shared },
        })
    }

    /// Its node label.
    pub fn label(&self) -> &'static str {
        self.rx.shared.label
    }

    /// The receiving and the transmitting half, for a reader task and a writer task.
    ///
    /// ```no_run
    /// use asyncio::io::{Read, Write};
    /// use asyncio::uart::Uart;
    ///
    /// // A byte-level echo: one task per direction would do as well; here one loop.
    /// async fn echo() -> asyncio::Result<()> {
    ///     let (mut rx, mut tx) = Uart::from_dt(asyncio::dt_node!(uart1))?.split();
    ///     let mut buf = [0u8; 32];
    ///     loop {
    ///         let n = rx.read(&mut buf).await?;
    ///         tx.write_all(&buf[..n]).await?;
    ///     }
    /// }
    /// ```
    pub fn split(self) -> (UartRx, UartTx) {
        (self.rx, self.tx)
    }

    /// Both halves as asyncio streams (the reader with its default line limit).
    ///
    /// ```no_run
    /// use asyncio::uart::Uart;
    ///
    /// async fn prompt() -> asyncio::Result<()> {
    ///     let (mut reader, mut writer) = Uart::from_dt(asyncio::dt_node!(uart1))?.into_streams();
    ///     writer.write(b"name? ");
    ///     writer.drain().await?;
    ///     let name = reader.readline().await?;
    ///     writer.write(b"hello ");
    ///     writer.write(&name);
    ///     writer.drain().await
    /// }
    /// ```
    pub fn into_streams(self) -> (StreamReader<UartRx>, StreamWriter<UartTx>) {
        (
            StreamReader::new(self.rx),
            StreamWriter::new_direct(self.tx),
        )
    }
}
