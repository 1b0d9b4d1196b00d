//! [`StreamReader`]: buffered reading with MicroPython's `read`, `readinto`, `readexactly`,
//! `readline` over any [`Read`] transport.

use alloc::vec;
use alloc::vec::Vec;

use embedded_io_async::{BufRead, ErrorType, Read};

use crate::{Error, Result};

/// The line limit a new [`StreamReader`] starts with, in bytes (newline included).
///
/// ```
/// assert_eq!(asyncio_core::io::DEFAULT_LINE_LIMIT, 256);
/// ```
pub const DEFAULT_LINE_LIMIT: usize = 256;

/// How much a read asks the transport for at least, so short lines cost one call per packet.
const MIN_FILL: usize = 128;

/// How much the buffer grows by at most per read: a large `readexactly` or line limit does not
/// allocate ahead of the data.
const MAX_FILL: usize = 2048;

/// The reading half of a stream (MicroPython's `Stream` used for reading).
///
/// Bytes the transport delivered but no call has returned yet stay in an internal buffer, so
/// reads of any size and line reads can be mixed freely. A line longer than the reader's limit
/// is an error ([`Error::LineTooLong`]) instead of unbounded memory.
///
/// ```
/// use asyncio_core::io::StreamReader;
///
/// asyncio_core::run(async {
///     // Any `embedded_io_async::Read` with asyncio's Error: here, a byte slice.
///     let mut reader = StreamReader::new(&b"GET / HTTP/1.0\r\nHost: x\r\n\r\nbody"[..]);
///     assert_eq!(reader.readline().await?, b"GET / HTTP/1.0\r\n");
///     assert_eq!(reader.readline().await?, b"Host: x\r\n");
///     assert_eq!(reader.readline().await?, b"\r\n");
///     assert_eq!(reader.read_to_end().await?, b"body");
///     assert_eq!(reader.readline().await?, b""); // end of stream
///     Ok::<_, asyncio_core::Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub struct StreamReader<R> {
    inner: R,
    /// `buf[start..end]` holds the bytes read from the transport and not yet returned.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    line_limit: usize,
}

impl<R: Read> StreamReader<R>
where
    Error: From<R::Error>,
{
    /// A reader over `inner` with the [`DEFAULT_LINE_LIMIT`].
    ///
    /// ```
    /// use asyncio_core::io::{StreamReader, DEFAULT_LINE_LIMIT};
    ///
    /// let reader = StreamReader::new(&b"line\n"[..]);
    /// assert_eq!(reader.line_limit(), DEFAULT_LINE_LIMIT);
    /// ```
    pub fn new(inner: R) -> Self {
        StreamReader {
            inner,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            line_limit: DEFAULT_LINE_LIMIT,
        }
    }

    /// Sets the longest line [`readline`](Self::readline) accepts, newline included.
    ///
    /// ```
    /// use asyncio_core::{io::StreamReader, Error};
    ///
    /// asyncio_core::run(async {
    ///     let mut reader = StreamReader::new(&b"0123456789\n"[..]).with_line_limit(4);
    ///     assert_eq!(reader.readline().await, Err(Error::LineTooLong { limit: 4 }));
    ///     assert_eq!(reader.read(4).await.unwrap(), b"0123"); // nothing was lost
    /// })
    /// .unwrap();
    /// ```
    pub fn with_line_limit(mut self, limit: usize) -> Self {
        self.line_limit = limit.max(1);
        self
    }

    /// The line limit in force.
    pub fn line_limit(&self) -> usize {
        self.line_limit
    }

    /// Bytes received and not returned yet (e.g. after a [`Error::LineTooLong`]).
    pub fn buffered(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// The transport.
    ///
    /// ```
    /// use asyncio_core::io::StreamReader;
    ///
    /// let reader = StreamReader::new(&b"xyz"[..]);
    /// assert_eq!(*reader.get_ref(), b"xyz");
    /// ```
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The transport, mutably. Reading from it directly skips the buffered bytes.
    ///
    /// ```
    /// use asyncio_core::io::StreamReader;
    ///
    /// let mut reader = StreamReader::new(&b"xyz"[..]);
    /// *reader.get_mut() = &b"abc"[..]; // swap the transport (nothing was buffered)
    /// assert_eq!(*reader.get_ref(), b"abc");
    /// ```
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    fn take(&mut self, n: usize) -> Vec<u8> {
        let out = self.buf[self.start..self.start + n].to_vec();
        self.consume_buffered(n);
        out
    }

    fn consume_buffered(&mut self, n: usize) {
        self.start += n;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    /// Reads more from the transport into the buffer, making room for about `wanted` more
    /// bytes. `Ok(0)` at the end of the stream. Cancel-safe: `end` only moves once bytes have
    /// arrived.
    async fn fill(&mut self, wanted: usize) -> Result<usize> {
        if self.eof {
            return Ok(0);
        }
        let room = wanted.clamp(MIN_FILL, MAX_FILL);
        if self.buf.len() - self.end < room {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if self.buf.len() - self.end < room {
                self.buf.resize(self.end + room, 0);
            }
        }
        let n = self.inner.read(&mut self.buf[self.end..]).await?;
        self.end += n;
        self.eof = n == 0;
        Ok(n)
    }

    /// Up to `n` bytes: what is buffered, or else what one transport read of at most `n` bytes
    /// (and 2 KiB at a time) delivers; empty only at the end of the stream
    /// (MicroPython's `read(n)`). As there, bytes beyond `n` stay in the transport: a socket
    /// keeps them, so a peer's reset still discards what was never read.
    ///
    /// ```
    /// use asyncio_core::io::StreamReader;
    ///
    /// asyncio_core::run(async {
    ///     let mut reader = StreamReader::new(&b"abcdef"[..]);
    ///     assert_eq!(reader.read(4).await?, b"abcd");
    ///     assert!(reader.buffered().is_empty()); // "ef" is still the transport's
    ///     assert_eq!(reader.read(4).await?, b"ef");
    ///     assert_eq!(reader.read(4).await?, b""); // end of stream
    ///     Ok::<_, asyncio_core::Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub async fn read(&mut self, n: usize) -> Result<Vec<u8>> {
        if self.buffered().is_empty() {
            let mut data = vec![0; n.min(MAX_FILL)];
            let got = self.readinto(&mut data).await?;
            data.truncate(got);
            return Ok(data);
        }
        let n = n.min(self.buffered().len());
        Ok(self.take(n))
    }

    /// Reads into `buf`, returning how many bytes were stored; 0 only at the end of the stream
    /// or for an empty `buf` (MicroPython's `readinto`).
    ///
    /// ```
    /// use asyncio_core::io::StreamReader;
    ///
    /// asyncio_core::run(async {
    ///     let mut reader = StreamReader::new(&b"hello"[..]);
    ///     let mut buf = [0u8; 8];
    ///     let n = reader.readinto(&mut buf).await?;
    ///     assert_eq!(&buf[..n], b"hello");
    ///     Ok::<_, asyncio_core::Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub async fn readinto(&mut self, buf: &mut [u8]) -> Result<usize> {
        if self.buffered().is_empty() && !buf.is_empty() {
            if self.eof {
                return Ok(0);
            }
            // Nothing buffered: straight from the transport, no copy.
            let n = self.inner.read(buf).await?;
            self.eof = n == 0;
            return Ok(n);
        }
        let n = buf.len().min(self.buffered().len());
        buf[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.consume_buffered(n);
        Ok(n)
    }

    /// Exactly `n` bytes; [`Error::IncompleteRead`] if the stream ends first, with the bytes
    /// that did arrive left in the buffer.
    ///
    /// ```
    /// use asyncio_core::{io::StreamReader, Error};
    ///
    /// asyncio_core::run(async {
    ///     let mut reader = StreamReader::new(&b"\x00\x03abc\x00\x05de"[..]);
    ///     let len = reader.readexactly(2).await.unwrap();
    ///     assert_eq!(reader.readexactly(len[1] as usize).await.unwrap(), b"abc");
    ///     reader.readexactly(2).await.unwrap();
    ///     let err = reader.readexactly(5).await.unwrap_err();
    ///     assert_eq!(err, Error::IncompleteRead { expected: 5, received: 2 });
    ///     assert_eq!(reader.buffered(), b"de");
    /// })
    /// .unwrap();
    /// ```
    pub async fn readexactly(&mut self, n: usize) -> Result<Vec<u8>> {
        while self.buffered().len() < n {
            let missing = n - self.buffered().len();
            if self.fill(missing).await? == 0 {
                return Err(Error::IncompleteRead {
                    expected: n,
                    received: self.buffered().len(),
                });
            }
        }
        Ok(self.take(n))
    }

    /// The next line, newline included; at the end of the stream the unterminated rest, then
    /// empty (MicroPython's `readline()`). [`Error::LineTooLong`] if no newline comes within
    /// the line limit; the bytes stay buffered.
    ///
    /// ```
    /// use asyncio_core::io::StreamReader;
    ///
    /// asyncio_core::run(async {
    ///     let mut reader = StreamReader::new(&b"temp=21\nhum=40"[..]);
    ///     assert_eq!(reader.readline().await?, b"temp=21\n");
    ///     assert_eq!(reader.readline().await?, b"hum=40"); // the last line, unterminated
    ///     Ok::<_, asyncio_core::Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub async fn readline(&mut self) -> Result<Vec<u8>> {
        let mut searched = 0;
        loop {
            let window = &self.buffered()[..self.buffered().len().min(self.line_limit)];
            if let Some(i) = window[searched..].iter().position(|&b| b == b'\n') {
                return Ok(self.take(searched + i + 1));
            }
            searched = window.len();
            if searched >= self.line_limit {
                return Err(Error::LineTooLong {
                    limit: self.line_limit,
                });
            }
            if self.fill(self.line_limit - searched).await? == 0 {
                return Ok(self.take(self.buffered().len()));
            }
        }
    }

    /// Everything up to the end of the stream (MicroPython's `read(-1)`).
    ///
    /// ```
    /// use asyncio_core::io::StreamReader;
    ///
    /// asyncio_core::run(async {
    ///     let mut reader = StreamReader::new(&b"all of it"[..]);
    ///     assert_eq!(reader.read_to_end().await?, b"all of it");
    ///     Ok::<_, asyncio_core::Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub async fn read_to_end(&mut self) -> Result<Vec<u8>> {
        while self.fill(MIN_FILL).await? > 0 {}
        Ok(self.take(self.buffered().len()))
    }
}

impl<R: Read> ErrorType for StreamReader<R>
where
    Error: From<R::Error>,
{
    type Error = Error;
}

/// Reading through the ecosystem trait, for protocol crates built on `embedded-io-async`.
impl<R: Read> Read for StreamReader<R>
where
    Error: From<R::Error>,
{
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        self.readinto(buf).await
    }
}

impl<R: Read> BufRead for StreamReader<R>
where
    Error: From<R::Error>,
{
    async fn fill_buf(&mut self) -> Result<&[u8]> {
        if self.buffered().is_empty() {
            self.fill(MIN_FILL).await?;
        }
        Ok(self.buffered())
    }

    fn consume(&mut self, amt: usize) {
        self.consume_buffered(amt.min(self.buffered().len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_returns_buffered_bytes_before_reading_more() {
        crate::run(async {
            let mut reader = StreamReader::new(&b"ab\ncdef"[..]);
            assert_eq!(reader.readline().await.unwrap(), b"ab\n");
            assert_eq!(reader.read(2).await.unwrap(), b"cd");
            let mut buf = [0u8; 8];
            assert_eq!(reader.readinto(&mut buf).await.unwrap(), 2);
            assert_eq!(&buf[..2], b"ef");
            assert_eq!(reader.readinto(&mut buf).await.unwrap(), 0);
            assert_eq!(reader.read(5).await.unwrap(), b"");
        })
        .unwrap();
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_accepted() {
        crate::run(async {
            let mut reader = StreamReader::new(&b"abc\nabcd\n"[..]).with_line_limit(4);
            assert_eq!(reader.readline().await.unwrap(), b"abc\n");
            assert_eq!(
                reader.readline().await,
                Err(Error::LineTooLong { limit: 4 })
            );
            assert_eq!(reader.buffered(), b"abcd\n");
        })
        .unwrap();
    }
}
