//! [`TlsReadHalf`] and [`TlsWriteHalf`]: one TLS connection read by one task and written by
//! another, as a socket's reader and writer are (`open_connection` over TLS).

use alloc::boxed::Box;
use alloc::rc::Rc;
use core::net::SocketAddr;
use core::ptr::NonNull;

use embedded_tls::{TlsReader, TlsWriter};

use super::framing::{Framed, Framing};
use super::stream::{EndState, TlsStream};
use super::Suite;
use crate::io::{ErrorType, Read, Transport, Write};
use crate::{Error, Result};

/// Owns the split stream; the last half to go frees it.
struct Owner<T: Read + Write + 'static>(NonNull<TlsStream<T>>);

impl<T: Read + Write + 'static> Drop for Owner<T> {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `Box::leak` in `split`; both halves, whose borrows of
        // it are dropped before their `Owner` (field order), are gone once the last `Rc` goes.
        drop(unsafe { Box::from_raw(self.0.as_ptr()) });
    }
}

/// The reading half of a split [`TlsStream`]: decrypts what the peer sends.
///
/// ```no_run
/// # async fn f<T>(tls: asyncio_core::tls::TlsStream<T>) -> asyncio_core::Result<()>
/// # where T: asyncio_core::io::Read + asyncio_core::io::Write + Clone + 'static {
/// let (rx, _tx) = tls.split();
/// let mut lines = asyncio_core::io::StreamReader::new(rx);
/// let line = lines.readline().await?; // decrypted, framed
/// # let _ = line; Ok(()) }
/// ```
pub struct TlsReadHalf<T: Read + Write + Clone + 'static> {
    /// Borrows from `_owner`'s stream: declared first, dropped first.
    reader: TlsReader<'static, Framed<T>, Suite>,
    framing: Rc<Framing>,
    state: EndState,
    _owner: Rc<Owner<T>>,
}

/// The writing half of a split [`TlsStream`]: encrypts what it is given into records.
/// Closing it closes the transport under both halves.
///
/// ```no_run
/// # async fn f<T>(tls: asyncio_core::tls::TlsStream<T>) -> asyncio_core::Result<()>
/// # where T: asyncio_core::io::Read + asyncio_core::io::Write + Clone + 'static {
/// let (_rx, tx) = tls.split();
/// let mut out = asyncio_core::io::StreamWriter::new(tx);
/// out.write(b"reading 21.5\n");
/// out.drain().await?; // one TLS record
/// # Ok(()) }
/// ```
pub struct TlsWriteHalf<T: Read + Write + Clone + 'static> {
    /// Borrows from `_owner`'s stream: declared first, dropped first.
    writer: TlsWriter<'static, Framed<T>, Suite>,
    state: EndState,
    _owner: Rc<Owner<T>>,
}

impl<T: Read + Write + Clone + 'static> TlsStream<T> {
    /// Splits the stream into a reader and a writer that two tasks can use at once (the
    /// transport must be a shared handle, as a Zephyr `Socket` is).
    ///
    /// ```no_run
    /// # async fn f<T>(tls: asyncio_core::tls::TlsStream<T>) -> asyncio_core::Result<()>
    /// # where T: asyncio_core::io::Read + asyncio_core::io::Write + Clone {
    /// use asyncio_core::io::{Read, Write};
    /// let (mut rx, mut tx) = tls.split();
    /// tx.write_all(b"hello\n").await?;
    /// tx.flush().await?;
    /// let mut line = [0; 32];
    /// let n = rx.read(&mut line).await?;
    /// # let _ = n; Ok(()) }
    /// ```
    pub fn split(self) -> (TlsReadHalf<T>, TlsWriteHalf<T>) {
        let (state, framing) = (self.state, self.framing.clone());
        let stream = NonNull::from(Box::leak(Box::new(self)));
        // SAFETY: the stream stays where it is until `Owner` frees it, after both halves
        // (holding the owner) have dropped these borrows; `split` hands out disjoint parts.
        let (reader, writer) = unsafe { &mut *stream.as_ptr() }.connection.split();
        let owner = Rc::new(Owner(stream));
        (
            TlsReadHalf {
                reader,
                framing,
                state,
                _owner: owner.clone(),
            },
            TlsWriteHalf {
                writer,
                state,
                _owner: owner,
            },
        )
    }
}

impl<T: Read + Write + Clone + 'static> ErrorType for TlsReadHalf<T> {
    type Error = Error;
}

impl<T: Read + Write + Clone + 'static> Read for TlsReadHalf<T> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        self.state
            .receive(&self.framing, self.reader.read(buf))
            .await
    }
}

impl<T: Read + Write + Clone + 'static> ErrorType for TlsWriteHalf<T> {
    type Error = Error;
}

impl<T: Read + Write + Clone + 'static> Write for TlsWriteHalf<T> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize> {
        self.state.send(self.writer.write(buf)).await
    }

    async fn flush(&mut self) -> Result<()> {
        self.state.send(self.writer.flush()).await
    }
}

impl<T: Read + Write + Clone + 'static + Transport> Transport for TlsWriteHalf<T> {
    fn close(&mut self) {
        // The transport is a shared handle: closing a clone closes it for both halves.
        self.writer.as_ref().get_ref().clone().close();
    }

    fn peername(&self) -> Option<SocketAddr> {
        self.writer.as_ref().get_ref().peername()
    }
}
