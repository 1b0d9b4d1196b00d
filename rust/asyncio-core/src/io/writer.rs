//! [`StreamWriter`]: MicroPython's `write()` (buffer) and `drain()` (send) over any [`Write`]
//! transport.

use alloc::vec::Vec;
use core::net::SocketAddr;

use embedded_io_async::{ErrorType, Write};

use crate::{Error, Result};

/// What a [`StreamWriter`] needs from its transport beyond writing: closing it, and the peer's
/// address for `get_extra_info("peername")`.
///
/// ```
/// use asyncio_core::io::{ErrorType, StreamWriter, Transport, Write};
/// use asyncio_core::Error;
/// use core::net::SocketAddr;
///
/// /// A transport that collects what is sent, until closed.
/// struct Loopback {
///     sent: Vec<u8>,
///     closed: bool,
/// }
///
/// impl ErrorType for Loopback {
///     type Error = Error;
/// }
///
/// impl Write for Loopback {
///     async fn write(&mut self, buf: &[u8]) -> Result<usize, Error> {
///         if self.closed {
///             return Err(Error::Closed);
///         }
///         self.sent.extend_from_slice(buf);
///         Ok(buf.len())
///     }
///
///     async fn flush(&mut self) -> Result<(), Error> {
///         Ok(())
///     }
/// }
///
/// impl Transport for Loopback {
///     fn close(&mut self) {
///         self.closed = true;
///     }
///     fn peername(&self) -> Option<SocketAddr> {
///         Some("127.0.0.1:4242".parse().unwrap())
///     }
/// }
///
/// asyncio_core::run(async {
///     let mut w = StreamWriter::new(Loopback { sent: Vec::new(), closed: false });
///     w.write(b"bye\n");
///     w.wait_closed().await?; // drains, then closes
///     assert_eq!(w.get_ref().sent, b"bye\n");
///     assert!(w.get_ref().closed);
///     assert_eq!(w.peername().unwrap().port(), 4242);
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub trait Transport {
    /// Closes the transport now; later operations fail with [`Error::Closed`].
    fn close(&mut self);

    /// The address of the other end, if the transport has one.
    fn peername(&self) -> Option<SocketAddr>;
}

/// A transport that can take bytes without waiting (a non-blocking send). A [`StreamWriter`]
/// made with [`StreamWriter::new_direct`] hands each write to it at once when nothing is
/// queued ahead, and buffers only what it does not take, as MicroPython's `Stream.write`
/// does: a write the transport takes allocates nothing.
///
/// ```
/// use asyncio_core::io::{StreamWriter, WriteNow};
///
/// /// Takes at most 4 bytes per call, like a socket whose send buffer is nearly full.
/// struct Narrow(Vec<u8>);
///
/// impl WriteNow for Narrow {
///     fn write_now(&mut self, data: &[u8]) -> usize {
///         let n = data.len().min(4);
///         self.0.extend_from_slice(&data[..n]);
///         n
///     }
/// }
/// # impl asyncio_core::io::ErrorType for Narrow { type Error = asyncio_core::Error; }
/// # impl asyncio_core::io::Write for Narrow {
/// #     async fn write(&mut self, buf: &[u8]) -> Result<usize, asyncio_core::Error> {
/// #         Ok(self.write_now(buf))
/// #     }
/// #     async fn flush(&mut self) -> Result<(), asyncio_core::Error> { Ok(()) }
/// # }
///
/// let mut writer = StreamWriter::new_direct(Narrow(Vec::new()));
/// writer.write(b"hello\n");
/// assert_eq!(writer.get_ref().0, b"hell"); // taken at once
/// assert_eq!(writer.buffered(), b"o\n"); // left for drain()
/// ```
pub trait WriteNow {
    /// Writes what the transport takes now, without waiting: how many bytes of `data` it
    /// took. 0 when it would block, and also on an error, which the next
    /// [`drain`](StreamWriter::drain) then meets and reports.
    fn write_now(&mut self, data: &[u8]) -> usize;
}

/// The writing half of a stream (MicroPython's `Stream` used for writing).
///
/// [`write`](Self::write) buffers (a writer made by [`new_direct`](Self::new_direct) first
/// hands the bytes to the transport, see [`WriteNow`]); [`drain`](Self::drain) sends what is
/// buffered, waiting while the transport cannot take more (the peer is not reading).
///
/// ```
/// use asyncio_core::io::StreamWriter;
///
/// asyncio_core::run(async {
///     let mut writer = StreamWriter::new(Vec::new()); // any `embedded_io_async::Write`
///     writer.write(b"hello ");
///     writer.write(b"world\n");
///     assert_eq!(writer.buffered(), b"hello world\n");
///     writer.drain().await?;
///     assert!(writer.buffered().is_empty());
///     assert_eq!(writer.get_ref(), b"hello world\n");
///     Ok::<_, asyncio_core::Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub struct StreamWriter<W> {
    inner: W,
    /// `buf[sent..]` is written and not yet sent.
    buf: Vec<u8>,
    sent: usize,
    /// The transport's non-blocking write, for a writer made by `new_direct`.
    write_now: Option<fn(&mut W, &[u8]) -> usize>,
}

impl<W: Write> StreamWriter<W>
where
    Error: From<W::Error>,
{
    /// A writer over `inner`.
    ///
    /// ```
    /// use asyncio_core::io::StreamWriter;
    ///
    /// let writer = StreamWriter::new(Vec::<u8>::new());
    /// assert!(writer.buffered().is_empty());
    /// ```
    pub fn new(inner: W) -> Self {
        StreamWriter {
            inner,
            buf: Vec::new(),
            sent: 0,
            write_now: None,
        }
    }

    /// Room for `additional` more bytes in the buffer, so that writes up to that many
    /// allocate nothing (for a window where the heap must not be touched).
    ///
    /// ```
    /// use asyncio_core::io::StreamWriter;
    ///
    /// let mut writer = StreamWriter::new(Vec::<u8>::new());
    /// writer.reserve(64);
    /// writer.write(b"fits in the room made before");
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        self.buf.reserve(additional);
    }

    /// Appends `data` to the bytes [`drain`](Self::drain) will send. A writer made by
    /// [`new_direct`](Self::new_direct) with nothing queued first gives `data` to the
    /// transport, and queues only what it did not take.
    ///
    /// ```
    /// use asyncio_core::io::StreamWriter;
    ///
    /// let mut writer = StreamWriter::new(Vec::<u8>::new());
    /// writer.write(b"queued, not sent");
    /// assert!(writer.get_ref().is_empty()); // drain() sends it
    /// ```
    pub fn write(&mut self, mut data: &[u8]) {
        if self.sent == self.buf.len() {
            self.buf.clear();
            self.sent = 0;
            if let Some(write_now) = self.write_now {
                let taken = write_now(&mut self.inner, data).min(data.len());
                data = &data[taken..];
            }
        }
        self.buf.extend_from_slice(data);
    }

    /// Bytes written and not sent yet.
    pub fn buffered(&self) -> &[u8] {
        &self.buf[self.sent..]
    }

    /// Sends everything written so far. Cancel-safe: if the waiting task is cancelled, the
    /// bytes not sent yet stay buffered for the next `drain()`. With nothing buffered it
    /// yields once (as MicroPython's does), so that a loop of writes the transport takes at
    /// once and drains cannot hold the loop.
    ///
    /// ```
    /// use asyncio_core::io::StreamWriter;
    ///
    /// asyncio_core::run(async {
    ///     let mut writer = StreamWriter::new(Vec::<u8>::new());
    ///     writer.write(b"frame 1\n");
    ///     writer.drain().await?; // waits while the transport cannot take more
    ///     assert_eq!(writer.get_ref(), b"frame 1\n");
    ///     Ok::<_, asyncio_core::Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub async fn drain(&mut self) -> Result<()> {
        if self.sent == self.buf.len() {
            crate::yield_now().await?;
        }
        self.send_buffered().await
    }

    /// Sends what is buffered, then flushes the transport.
    async fn send_buffered(&mut self) -> Result<()> {
        while self.sent < self.buf.len() {
            let n = self.inner.write(&self.buf[self.sent..]).await?;
            if n == 0 {
                return Err(Error::ConnectionReset);
            }
            self.sent += n;
        }
        self.buf.clear();
        self.sent = 0;
        Ok(self.inner.flush().await?)
    }

    /// The transport.
    ///
    /// ```
    /// use asyncio_core::io::StreamWriter;
    ///
    /// assert!(StreamWriter::new(Vec::<u8>::new()).get_ref().is_empty());
    /// ```
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// The transport, mutably.
    ///
    /// ```
    /// use asyncio_core::io::StreamWriter;
    ///
    /// let mut writer = StreamWriter::new(Vec::<u8>::new());
    /// writer.get_mut().extend_from_slice(b"direct"); // bypasses the buffer
    /// assert_eq!(writer.get_ref(), b"direct");
    /// ```
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }
}

impl<W: Write + WriteNow> StreamWriter<W>
where
    Error: From<W::Error>,
{
    /// A writer over `inner` whose writes go to the transport at once when they can (see
    /// [`WriteNow`]); the network streams are made so.
    ///
    /// ```
    /// use asyncio_core::io::{ErrorType, StreamWriter, Write, WriteNow};
    /// use asyncio_core::Error;
    ///
    /// /// A transport with room for everything: every write is taken at once.
    /// struct Wide(Vec<u8>);
    ///
    /// impl WriteNow for Wide {
    ///     fn write_now(&mut self, data: &[u8]) -> usize {
    ///         self.0.extend_from_slice(data);
    ///         data.len()
    ///     }
    /// }
    /// impl ErrorType for Wide {
    ///     type Error = Error;
    /// }
    /// impl Write for Wide {
    ///     async fn write(&mut self, buf: &[u8]) -> Result<usize, Error> {
    ///         Ok(self.write_now(buf))
    ///     }
    ///
    ///     async fn flush(&mut self) -> Result<(), Error> {
    ///         Ok(())
    ///     }
    /// }
    ///
    /// let mut writer = StreamWriter::new_direct(Wide(Vec::new()));
    /// writer.write(b"sent before drain");
    /// assert!(writer.buffered().is_empty());
    /// assert_eq!(writer.get_ref().0, b"sent before drain");
    /// ```
    pub fn new_direct(inner: W) -> Self {
        StreamWriter {
            write_now: Some(W::write_now),
            ..Self::new(inner)
        }
    }
}

impl<W: Write + Transport> StreamWriter<W>
where
    Error: From<W::Error>,
{
    /// Closes the stream at once (MicroPython's `close()`): bytes not drained yet are
    /// discarded. Use [`wait_closed`](Self::wait_closed) to send them first.
    ///
    /// ```
    /// # use asyncio_core::io::{ErrorType, StreamWriter, Transport, Write};
    /// # use asyncio_core::Error;
    /// # use core::net::SocketAddr;
    /// # #[derive(Default)]
    /// # struct Loopback { sent: Vec<u8>, closed: bool }
    /// # impl ErrorType for Loopback { type Error = Error; }
    /// # impl Write for Loopback {
    /// #     async fn write(&mut self, buf: &[u8]) -> Result<usize, Error> {
    /// #         if self.closed { return Err(Error::Closed); }
    /// #         self.sent.extend_from_slice(buf);
    /// #         Ok(buf.len())
    /// #     }
    /// #     async fn flush(&mut self) -> Result<(), Error> { Ok(()) }
    /// # }
    /// # impl Transport for Loopback {
    /// #     fn close(&mut self) { self.closed = true; }
    /// #     fn peername(&self) -> Option<SocketAddr> { Some("127.0.0.1:4242".parse().unwrap()) }
    /// # }
    /// // Loopback: a transport that records what it is sent (see `Transport`).
    /// let mut w = StreamWriter::new(Loopback::default());
    /// w.write(b"never sent");
    /// w.close(); // discards the buffer
    /// assert!(w.get_ref().closed && w.get_ref().sent.is_empty());
    /// ```
    pub fn close(&mut self) {
        self.buf.clear();
        self.sent = 0;
        self.inner.close();
    }

    /// Sends what is still buffered, then closes the stream (CPython's `close()` followed by
    /// `await wait_closed()`). The stream is closed even if sending fails.
    ///
    /// ```
    /// # use asyncio_core::io::{ErrorType, StreamWriter, Transport, Write};
    /// # use asyncio_core::Error;
    /// # use core::net::SocketAddr;
    /// # #[derive(Default)]
    /// # struct Loopback { sent: Vec<u8>, closed: bool }
    /// # impl ErrorType for Loopback { type Error = Error; }
    /// # impl Write for Loopback {
    /// #     async fn write(&mut self, buf: &[u8]) -> Result<usize, Error> {
    /// #         if self.closed { return Err(Error::Closed); }
    /// #         self.sent.extend_from_slice(buf);
    /// #         Ok(buf.len())
    /// #     }
    /// #     async fn flush(&mut self) -> Result<(), Error> { Ok(()) }
    /// # }
    /// # impl Transport for Loopback {
    /// #     fn close(&mut self) { self.closed = true; }
    /// #     fn peername(&self) -> Option<SocketAddr> { Some("127.0.0.1:4242".parse().unwrap()) }
    /// # }
    /// asyncio_core::run(async {
    ///     let mut w = StreamWriter::new(Loopback::default());
    ///     w.write(b"last words\n");
    ///     w.wait_closed().await?; // sends, then closes
    ///     assert_eq!(w.get_ref().sent, b"last words\n");
    ///     Ok::<_, Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub async fn wait_closed(&mut self) -> Result<()> {
        let drained = self.drain().await;
        self.close();
        drained
    }

    /// The peer's address: MicroPython's `get_extra_info("peername")`.
    pub fn peername(&self) -> Option<SocketAddr> {
        self.inner.peername()
    }
}

impl<W: Write> ErrorType for StreamWriter<W>
where
    Error: From<W::Error>,
{
    type Error = Error;
}

/// Writing through the ecosystem trait: each `write` is buffered and sent before it returns.
impl<W: Write> Write for StreamWriter<W>
where
    Error: From<W::Error>,
{
    async fn write(&mut self, buf: &[u8]) -> Result<usize> {
        StreamWriter::write(self, buf);
        self.send_buffered().await?;
        Ok(buf.len())
    }

    async fn flush(&mut self) -> Result<()> {
        self.send_buffered().await
    }
}
