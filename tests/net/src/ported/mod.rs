//! MicroPython's network asyncio tests (`tests/net_hosted`, `tests/net_inet` and
//! `tests/multi_net`, the `asyncio_*` ones), ported: one module per test, each
//! printing what the original prints. The host test (pytest/test_ported.py) starts a run with
//! `port <test> <instance> <port>` on the control connection, plays the other instance of a
//! two-instance test under CPython (or a local server for a `net_inet` test), and compares both
//! sides' lines with the original's `.exp`.
//!
//! On the control connection a run sends `out <line>` for each printed line, `next` at each
//! `multitest.next()` (then waits for the host's `next`: both instances have reached it) and
//! `end` (or `end error <e>` if the port's own code failed). What each port prints differently
//! from the original, and why, its module says; docs/semantics.md lists it.

use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::RefCell;
use core::fmt;
use core::future::Future;

use asyncio::net::{start_server, Server, StreamReader, StreamWriter};
use asyncio::{timeout_ms, Error, Event, Result};

mod asyncio_cancel_stream;
mod asyncio_loopback;
mod asyncio_open_connection;
mod asyncio_start_server;
mod asyncio_tcp_client_rst;
mod asyncio_tcp_close_write;
mod asyncio_tcp_read_headers;
mod asyncio_tcp_readall;
mod asyncio_tcp_readexactly;
mod asyncio_tcp_readinto;
mod asyncio_tcp_server_client;
mod asyncio_tls_open_connection_readline;
mod asyncio_tls_server_client;
mod asyncio_tls_server_client_cert_required_error;
mod asyncio_tls_server_client_readline;
mod asyncio_tls_server_client_verify_error;

/// `print(...)` for the ported tests: one line on the run's output.
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {
        $out.line(::core::format_args!($($arg)*))
    };
}
pub(crate) use say;

/// What the ports share.
mod prelude {
    pub(crate) use super::say;
    pub use super::{
        close_and_finish, http_get, serve_until_done, tls_connection, with_server,
        write_with_pause, Multitest, Out,
    };
    pub use alloc::rc::Rc;
    pub use asyncio::net::{open_connection, start_server, StreamReader, StreamWriter};
    pub use asyncio::{sleep_ms, Error, Event, Result};
    pub use asyncio_conformance::py_bytes;
}

/// The lines a run prints, waiting to go to the host. Cloned into the tasks a test starts
/// (its connection handlers print too).
#[derive(Clone, Default)]
pub struct Out(Rc<RefCell<String>>);

impl Out {
    /// Prints one line.
    pub fn line(&self, args: fmt::Arguments<'_>) {
        let mut text = self.0.borrow_mut();
        text.push_str("out ");
        let _ = fmt::Write::write_fmt(&mut *text, args);
        text.push('\n');
    }

    fn take(&self) -> String {
        core::mem::take(&mut *self.0.borrow_mut())
    }
}

/// MicroPython's `multitest` for the instance this device plays: the output, the barrier
/// with the host's instance, and the port the test uses (MicroPython's are fixed; here the
/// host picks one per run, so that runs never meet another run's lingering sockets).
pub struct Multitest<'a> {
    pub out: Out,
    pub port: u16,
    reader: &'a mut StreamReader,
    writer: &'a mut StreamWriter,
}

impl Multitest<'_> {
    /// `multitest.next()`: sends what was printed so far and waits until the host's instance
    /// has reached its `next()` too.
    pub async fn next(&mut self) -> Result<()> {
        self.flush().await?;
        self.writer.write(b"next\n");
        self.writer.drain().await?;
        match self.reader.readline().await?.as_slice() {
            b"next\n" => Ok(()),
            _ => Err(Error::ValueError),
        }
    }

    async fn flush(&mut self) -> Result<()> {
        self.writer.write(self.out.take().as_bytes());
        self.writer.drain().await
    }
}

/// How the two-instance tests' connection handlers end: `print("close")`, the writer closed
/// and waited for, `print("done")`, and the event set that ends `tcp_server()`.
pub async fn close_and_finish(out: &Out, writer: &mut StreamWriter, ev: &Event) -> Result<()> {
    say!(out, "close");
    writer.close();
    writer.wait_closed().await?;
    say!(out, "done");
    ev.set();
    Ok(())
}

/// The `readall` and `readexactly` servers: the first byte, a second's pause (so the client
/// must wait for the next), each other chunk written and drained, then the handlers' end.
pub async fn write_with_pause(
    out: &Out,
    ev: &Event,
    writer: &mut StreamWriter,
    chunks: &[&[u8]],
) -> Result<()> {
    for (i, chunk) in chunks.iter().enumerate() {
        if i == 1 {
            // Split the first 2 bytes up so the client must wait for the second one
            asyncio::sleep_ms(1000).await?;
        }
        writer.write(chunk);
        writer.drain().await?;
    }
    close_and_finish(out, writer, ev).await
}

/// The `net_inet` tests' start: a connection to the host's HTTP server (micropython.org:80 in
/// the originals), `print("write GET")`, and an HTTP/1.0 request for `/` sent.
pub async fn http_get(mt: &Multitest<'_>) -> Result<(StreamReader, StreamWriter)> {
    let (reader, mut writer) = asyncio::net::open_connection("127.0.0.1", mt.port).await?;
    say!(mt.out, "write GET");
    writer.write(b"GET / HTTP/1.0\r\n\r\n");
    writer.drain().await?;
    Ok((reader, writer))
}

/// The TLS tests' `asyncio.open_connection(IP, PORT, ssl=client_ctx,
/// server_hostname=...)`: to the host's TLS server on the run's port, trusting the run's CA.
pub async fn tls_connection(
    mt: &Multitest<'_>,
    server_hostname: &str,
) -> Result<(asyncio::tls::TlsStreamReader, asyncio::tls::TlsStreamWriter)> {
    let config = crate::tls::config(server_hostname);
    asyncio::tls::open_connection("127.0.0.1", mt.port, &config).await
}

/// `async with server: <body>`: the body, then the server closed and waited for, whatever
/// the body returned (MicroPython's `Server.__aexit__`).
pub async fn with_server<T>(
    mut server: Server,
    body: impl Future<Output = Result<T>>,
) -> Result<T> {
    let out = body.await;
    server.close();
    server.wait_closed().await?;
    out
}

/// The two-instance tests' `tcp_server()`: serves `handler` (given the output and the event
/// it sets when done) on the port, says `server running` if `announce`, reaches
/// `multitest.next()`, then waits for the event as `async with server: await
/// asyncio.wait_for(ev.wait(), 10)`.
pub async fn serve_until_done<F, Fut>(
    mt: &mut Multitest<'_>,
    announce: bool,
    handler: F,
) -> Result<()>
where
    F: Fn(Out, Rc<Event>, StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future<Output = Result<()>> + 'static,
{
    let done = Rc::new(Event::new());
    let (out, ev) = (mt.out.clone(), done.clone());
    let server = start_server(
        move |r, w| handler(out.clone(), ev.clone(), r, w),
        "0.0.0.0",
        mt.port,
    )
    .await?;
    if announce {
        say!(mt.out, "server running");
    }
    mt.next().await?;
    with_server(server, timeout_ms(10_000, done.wait()))
        .await
        .map(drop)
}

/// Runs `<test> <instance>` with the host's `port` (the words after `port`), then says `end`.
pub async fn run(
    words: &[&str],
    reader: &mut StreamReader,
    writer: &mut StreamWriter,
) -> Result<()> {
    let (test, instance, port) = match words {
        [test, instance, port] => (
            *test,
            *instance,
            port.parse().map_err(|_| Error::ValueError)?,
        ),
        _ => return Err(Error::ValueError),
    };
    let mut mt = Multitest {
        out: Out::default(),
        port,
        reader,
        writer,
    };
    let outcome = match (test, instance) {
        ("asyncio_loopback", "0") => asyncio_loopback::run(&mut mt).await,
        ("asyncio_start_server", "0") => asyncio_start_server::run(&mut mt).await,
        ("asyncio_cancel_stream", "0") => asyncio_cancel_stream::run(&mut mt).await,
        ("asyncio_open_connection", "0") => asyncio_open_connection::run(&mut mt).await,
        ("asyncio_tcp_read_headers", "0") => asyncio_tcp_read_headers::run(&mut mt).await,
        ("asyncio_tcp_client_rst", "0") => asyncio_tcp_client_rst::instance0(&mut mt).await,
        ("asyncio_tcp_close_write", "0") => asyncio_tcp_close_write::instance0(&mut mt).await,
        ("asyncio_tcp_close_write", "1") => asyncio_tcp_close_write::instance1(&mut mt).await,
        ("asyncio_tcp_readall", "0") => asyncio_tcp_readall::instance0(&mut mt).await,
        ("asyncio_tcp_readall", "1") => asyncio_tcp_readall::instance1(&mut mt).await,
        ("asyncio_tcp_readexactly", "0") => asyncio_tcp_readexactly::instance0(&mut mt).await,
        ("asyncio_tcp_readexactly", "1") => asyncio_tcp_readexactly::instance1(&mut mt).await,
        ("asyncio_tcp_readinto", "1") => asyncio_tcp_readinto::instance1(&mut mt).await,
        ("asyncio_tcp_server_client", "0") => asyncio_tcp_server_client::instance0(&mut mt).await,
        ("asyncio_tcp_server_client", "1") => asyncio_tcp_server_client::instance1(&mut mt).await,
        ("asyncio_tls_open_connection_readline", "0") => {
            asyncio_tls_open_connection_readline::run(&mut mt).await
        }
        ("asyncio_tls_server_client", "1") => asyncio_tls_server_client::instance1(&mut mt).await,
        ("asyncio_tls_server_client_readline", "1") => {
            asyncio_tls_server_client_readline::instance1(&mut mt).await
        }
        ("asyncio_tls_server_client_verify_error", "1") => {
            asyncio_tls_server_client_verify_error::instance1(&mut mt).await
        }
        ("asyncio_tls_server_client_cert_required_error", "1") => {
            asyncio_tls_server_client_cert_required_error::instance1(&mut mt).await
        }
        _ => Err(Error::ValueError),
    };
    mt.flush().await?;
    let end = match outcome {
        Ok(()) => String::from("end\n"),
        Err(e) => format!("end error {e}\n"),
    };
    mt.writer.write(end.as_bytes());
    mt.writer.drain().await
}
