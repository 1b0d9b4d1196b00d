//! An HTTP/1.1 server on the streams: the `picoserve` crate's router and handlers (axum in
//! shape: routes, extractors, responses), each connection served by [`serve_connection`] on
//! its stream's two halves with the loop's timers. On Zephyr `asyncio::http::serve` starts a
//! TCP server that does this for every connection (see [`serve_connection`] for an example).
//!

use crate::io::{ErrorType, Read, StreamReader, StreamWriter, Transport, Write};
use crate::{sleep, Error, Result};
use core::time::Duration;
use picoserve::io::{Socket, Write as LendingWrite};
use picoserve::mem::{BorrowedBuffer, BorrowedCursor};
use picoserve::routing::PathRouter;
use picoserve::{Config, Router, Timeouts, Timer};

pub use picoserve;

/// How many bytes of a request (line and headers) a connection holds.
const REQUEST_BUFFER: usize = 2048;

/// How much of a response is formatted at once before it goes to the writer.
const RESPONSE_SLICE: usize = 512;

/// The runtime picoserve's traits are implemented for: this loop.
#[doc(hidden)]
pub struct Asyncio;

/// picoserve's timer on the loop's clock.
struct LoopTimer;

impl Timer<Asyncio> for LoopTimer {
    async fn delay(&self, duration: picoserve::time::Duration) {
        // A cancelled task's sleep ends at once, and picoserve then treats it as the timeout:
        // the connection is closed, and the cancellation meets the task at its next wait.
        let _ = sleep(Duration::from_millis(duration.as_millis())).await;
    }
}

/// A connection's writer, lending picoserve a slice to format into.
struct Lend<'a, T>(&'a mut StreamWriter<T>);

impl<T: Write> ErrorType for Lend<'_, T> {
    type Error = Error;
}

impl<T: Write> Write for Lend<'_, T>
where
    Error: From<T::Error>,
{
    async fn write(&mut self, buf: &[u8]) -> Result<usize> {
        Write::write(self.0, buf).await
    }

    async fn flush(&mut self) -> Result<()> {
        self.0.drain().await
    }
}

impl<T: Write> LendingWrite for Lend<'_, T>
where
    Error: From<T::Error>,
{
    async fn write_with<F: FnOnce(BorrowedCursor<'_>) -> R, R>(&mut self, f: F) -> Result<R> {
        let mut slice = [0; RESPONSE_SLICE];
        let mut buffer = BorrowedBuffer::new(&mut slice);
        let output = f(buffer.unfilled());
        self.0.write(buffer.filled());
        self.0.drain().await?;
        Ok(output)
    }
}

/// A stream's two halves as picoserve's socket.
struct Stream<R, W> {
    reader: StreamReader<R>,
    writer: StreamWriter<W>,
}

impl<R: Read, W: Write + Transport> Socket<Asyncio> for Stream<R, W>
where
    Error: From<R::Error> + From<W::Error>,
{
    type Error = Error;
    type ReadHalf<'a>
        = &'a mut StreamReader<R>
    where
        Self: 'a;
    type WriteHalf<'a>
        = Lend<'a, W>
    where
        Self: 'a;

    fn split(&mut self) -> (Self::ReadHalf<'_>, Self::WriteHalf<'_>) {
        (&mut self.reader, Lend(&mut self.writer))
    }

    async fn abort<U: Timer<Asyncio>>(
        mut self,
        _timeouts: &Timeouts,
        _timer: &U,
    ) -> core::result::Result<(), picoserve::Error<Error>> {
        self.writer.close();
        Ok(())
    }

    async fn shutdown<U: Timer<Asyncio>>(
        mut self,
        timeouts: &Timeouts,
        timer: &U,
    ) -> core::result::Result<(), picoserve::Error<Error>> {
        timer
            .run_with_timeout(timeouts.write, self.writer.wait_closed())
            .await
            .map_err(picoserve::Error::WriteTimeout)?
            .map_err(picoserve::Error::Write)
    }
}

/// Serves HTTP requests on one connection with `app` until the client closes it (or a request
/// breaks HTTP, or a timeout passes): how many requests it served.
///
/// `Err(Protocol)` for a request that is not HTTP (the client got its 400), `Err(Timeout)` for
/// a client that stopped half-way; the connection is closed either way.
///
/// ```
/// use asyncio_core::http::server::{picoserve, serve_connection};
/// use asyncio_core::io::{StreamReader, StreamWriter};
/// use picoserve::routing::get;
/// # use asyncio_core::io::{ErrorType, Transport, Write};
/// # use std::{cell::RefCell, rc::Rc};
/// # struct Sent(Rc<RefCell<Vec<u8>>>);
/// # impl ErrorType for Sent { type Error = asyncio_core::Error; }
/// # impl Write for Sent {
/// #     async fn write(&mut self, b: &[u8]) -> asyncio_core::Result<usize> { self.0.borrow_mut().extend_from_slice(b); Ok(b.len()) }
/// #     async fn flush(&mut self) -> asyncio_core::Result<()> { Ok(()) }
/// # }
/// # impl Transport for Sent {
/// #     fn close(&mut self) {}
/// #     fn peername(&self) -> Option<core::net::SocketAddr> { None }
/// # }
///
/// let app = picoserve::Router::new().route("/status", get(|| async { "ok\n" }));
/// // A client's request (here from a byte string); the response goes to `sent`.
/// let request = StreamReader::new(&b"GET /status HTTP/1.1\r\nHost: node\r\n\r\n"[..]);
/// let sent = Rc::new(RefCell::new(Vec::new()));
/// let response = StreamWriter::new(Sent(sent.clone()));
/// asyncio_core::run(async move {
///     assert_eq!(serve_connection(&app, request, response).await, Ok(1));
/// })
/// .unwrap();
/// let sent = String::from_utf8(sent.take()).unwrap();
/// assert!(sent.starts_with("HTTP/1.1 200 ") && sent.ends_with("\r\n\r\nok\n"), "{sent}");
/// ```
pub async fn serve_connection<P, R, W>(
    app: &Router<P>,
    reader: StreamReader<R>,
    writer: StreamWriter<W>,
) -> Result<u64>
where
    P: PathRouter,
    R: Read,
    W: Write + Transport,
    Error: From<R::Error> + From<W::Error>,
{
    let config = Config::new(Timeouts::const_default());
    let mut buffer = alloc::vec![0; REQUEST_BUFFER];
    let served = picoserve::Server::custom(app, LoopTimer, &config, &mut buffer)
        .serve(Stream { reader, writer })
        .await;
    match served {
        Ok(info) => Ok(info.handled_requests_count),
        Err(picoserve::Error::Read(e) | picoserve::Error::Write(e)) => Err(e),
        Err(picoserve::Error::ReadTimeout(_) | picoserve::Error::WriteTimeout(_)) => {
            Err(Error::Timeout)
        }
        Err(_) => Err(Error::Protocol),
    }
}
