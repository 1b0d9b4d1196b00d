//! [`UartTx`]: the transmitting half of a UART, an `embedded_io_async::Write`.

use alloc::rc::Rc;

use asyncio_core::io::{ErrorType, Write, WriteNow};
use asyncio_core::{Error, Result};

use super::irq::Shared;

/// The transmitting half of a [`Uart`](super::Uart): bytes go to a ring of
/// `CONFIG_ASYNCIO_UART_TX_RING` that the transmit interrupt empties. Wrap it in a
/// [`StreamWriter`](asyncio_core::io::StreamWriter) for `write()` + `drain()`.
///
/// ```no_run
/// use asyncio::io::Write;
/// use asyncio::uart::Uart;
///
/// async fn beacon() -> asyncio::Result<()> {
///     let (_rx, mut tx) = Uart::from_dt(asyncio::dt_node!(uart1))?.split();
///     loop {
///         tx.write_all(b"alive\n").await?; // returns once the bytes are in the ring
///         tx.flush().await?; // and once the UART has taken them all
///         asyncio::sleep_ms(1000).await?;
///     }
/// }
/// ```
pub struct UartTx {
    pub(crate) shared: Rc<Shared>,
}

impl ErrorType for UartTx {
    type Error = Error;
}

impl WriteNow for UartTx {
    /// Hands what fits to the transmit ring, now: a stream's `write` sends at once what the
    /// ring takes and buffers only the rest (MicroPython's `Stream.write`).
    fn write_now(&mut self, data: &[u8]) -> usize {
        self.shared.queue_for_sending(data)
    }
}

impl Write for UartTx {
    /// Hands as much of `buf` as fits to the transmit ring, waiting while it is full.
    /// Cancel-safe: bytes are only taken by a call that returns their count.
    async fn write(&mut self, buf: &[u8]) -> Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.shared.queue_for_sending(buf) {
                0 => self.shared.sent.wait().await?,
                n => return Ok(n),
            }
        }
    }

    /// Waits until the ring is empty: every byte is in the UART's hands (its FIFO or shift
    /// register; the last may still be on the wire).
    async fn flush(&mut self) -> Result<()> {
        while !self.shared.all_sent() {
            self.shared.sent.wait().await?;
        }
        Ok(())
    }
}
