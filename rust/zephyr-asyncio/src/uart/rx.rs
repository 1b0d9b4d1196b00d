//! [`UartRx`]: the receiving half of a UART, an `embedded_io_async::Read`.

use alloc::rc::Rc;

use asyncio_core::io::{ErrorType, Read};
use asyncio_core::{Error, Result};

use super::irq::Shared;

/// The receiving half of a [`Uart`](super::Uart): bytes the interrupt handler kept, up to
/// `CONFIG_ASYNCIO_UART_RX_RING` while nobody reads. Wrap it in a
/// [`StreamReader`](asyncio_core::io::StreamReader) for `readline()`.
///
/// ```no_run
/// use asyncio::io::Read;
/// use asyncio::uart::Uart;
///
/// async fn sniff() -> asyncio::Result<()> {
///     let (mut rx, _tx) = Uart::from_dt(asyncio::dt_node!(uart1))?.split();
///     let mut buf = [0u8; 64];
///     loop {
///         let n = rx.read(&mut buf).await?;
///         log::info!("{n} bytes; {} lost, {} line errors so far", rx.overrun_bytes(), rx.line_errors());
///     }
/// }
/// ```
pub struct UartRx {
    pub(crate) shared: Rc<Shared>,
}

impl UartRx {
    /// Bytes dropped so far because the receive ring was full.
    pub fn overrun_bytes(&self) -> u32 {
        self.shared.lost_total()
    }

    /// Line errors (framing, parity, the UART's own FIFO overruns) the driver reported so far.
    pub fn line_errors(&self) -> u32 {
        self.shared.line_errors()
    }
}

impl ErrorType for UartRx {
    type Error = Error;
}

impl Read for UartRx {
    /// Waits for bytes and takes up to `buf.len()` of them (never 0 for a non-empty `buf`: a
    /// UART has no end). `Err(Error::Overrun)` once, where bytes are missing because the ring
    /// was full; the bytes after the gap follow. Cancel-safe: nothing is taken while waiting.
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.shared.take_received(buf)? {
                0 => self.shared.received.wait().await?,
                n => return Ok(n),
            }
        }
    }
}
