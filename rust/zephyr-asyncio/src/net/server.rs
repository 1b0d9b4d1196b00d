//! [`start_server`] and [`Server`]: a listening socket and the task accepting its connections,
//! each connection served by a task of its own.

use core::future::Future;
use core::net::SocketAddr;

use asyncio_core::{create_task, sleep_ms, Error, Result, Task, TaskOutput};

use super::socket::Socket;
use super::{addr, StreamReader, StreamWriter};

/// How long the accept task pauses after a failed accept (out of file descriptors or memory)
/// before trying again; the connection waits in the backlog meanwhile.
const ACCEPT_RETRY_MS: u32 = 100;

/// A TCP server started by [`start_server`] (MicroPython's `asyncio.Server`).
///
/// Closing it — [`close`](Self::close), or dropping it — stops accepting and closes the
/// listening socket, so new clients are refused; connections already accepted keep their
/// tasks and end on their own, as in MicroPython.
///
/// ```no_run
/// use asyncio::net::{start_server, StreamReader, StreamWriter};
///
/// async fn handle_client(_reader: StreamReader, mut writer: StreamWriter) -> asyncio::Result<()> {
///     writer.write(b"hello\n");
///     writer.drain().await
/// }
///
/// async fn serve() -> asyncio::Result<()> {
///     let server = start_server(handle_client, "0.0.0.0", 4242).await?;
///     log::info!("serving on {}", server.local_addr());
///     server.wait_closed().await // until server.close() or a cancellation
/// }
/// ```
#[must_use = "dropping the Server closes it: keep it for as long as it should serve"]
pub struct Server {
    listener: Socket,
    accept: Task<Result<()>>,
    addr: SocketAddr,
}

/// Starts a TCP server on `host:port` and returns at once; each accepted connection runs
/// `callback(reader, writer)` as a new task (MicroPython's `asyncio.start_server`).
///
/// In task listings the accepting task is `server accept` and each connection's task
/// `server connection` (the callback may rename its own with `current_task()`).
///
/// `host` is a numeric address (`"0.0.0.0"`, `"127.0.0.1"`, `"::"`), `""` for every IPv4
/// interface, or a name to resolve. The callback's task ends the connection when it drops the
/// reader and writer (or calls `writer.close()`).
///
/// ```no_run
/// use asyncio::net::{start_server, StreamReader, StreamWriter};
///
/// async fn echo(mut reader: StreamReader, mut writer: StreamWriter) -> asyncio::Result<()> {
///     loop {
///         let line = reader.readline().await?;
///         if line.is_empty() {
///             return Ok(()); // the client closed the connection
///         }
///         writer.write(&line);
///         writer.drain().await?;
///     }
/// }
///
/// async fn serve() -> asyncio::Result<()> {
///     let server = start_server(echo, "0.0.0.0", 4242).await?;
///     server.wait_closed().await // serve until closed
/// }
/// ```
pub async fn start_server<F, Fut>(callback: F, host: &str, port: u16) -> Result<Server>
where
    F: FnMut(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future + 'static,
    Fut::Output: TaskOutput,
{
    let at = addr::resolve(host, port).await?;
    let listener = Socket::listen(
        at,
        zephyr::kconfig::CONFIG_ASYNCIO_NET_BACKLOG as core::ffi::c_int,
    )?;
    let accept = create_task(accept_loop(listener.clone(), at, callback));
    // Named for task listings (an unnamed task shows its future's type, here a long one).
    accept.set_name("server accept");
    Ok(Server {
        listener,
        accept,
        addr: at,
    })
}

async fn accept_loop<F, Fut>(listener: Socket, at: SocketAddr, mut callback: F) -> Result<()>
where
    F: FnMut(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future + 'static,
    Fut::Output: TaskOutput,
{
    loop {
        match listener.accept().await {
            Ok(connection) => {
                let reader = StreamReader::new(connection.clone());
                let task = create_task(callback(reader, StreamWriter::new_direct(connection)));
                task.set_name("server connection");
            }
            // Closed by Server::close(): the server's normal end.
            Err(Error::Closed) => return Ok(()),
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(e) => {
                log::warn!("asyncio: server on {at}: accept failed ({e}); retrying");
                sleep_ms(ACCEPT_RETRY_MS).await?;
            }
        }
    }
}

impl Server {
    /// Stops accepting and closes the listening socket (MicroPython's `Server.close()`).
    /// Connections already accepted are not touched.
    ///
    /// ```no_run
    /// use asyncio::net::{start_server, StreamReader, StreamWriter};
    ///
    /// # async fn handler(_r: StreamReader, _w: StreamWriter) -> asyncio::Result<()> { Ok(()) }
    /// async fn serve_for_a_minute() -> asyncio::Result<()> {
    ///     let mut server = start_server(handler, "0.0.0.0", 4242).await?;
    ///     asyncio::sleep_ms(60_000).await?;
    ///     server.close(); // new clients are refused; connected ones carry on
    ///     Ok(())
    /// }
    /// ```
    pub fn close(&mut self) {
        use asyncio_core::io::Transport;
        self.listener.close();
    }

    /// Waits until the server is closed (by [`close`](Self::close) from another task), as
    /// MicroPython's `Server.wait_closed()`. `Err(Error::Cancelled)` if the calling task is
    /// cancelled meanwhile: the cancellation reaches the accept task, which stops serving.
    ///
    /// ```no_run
    /// use asyncio::net::{start_server, StreamReader, StreamWriter};
    ///
    /// # async fn handler(_r: StreamReader, _w: StreamWriter) -> asyncio::Result<()> { Ok(()) }
    /// async fn serve() -> asyncio::Result<()> {
    ///     let server = start_server(handler, "0.0.0.0", 4242).await?;
    ///     server.wait_closed().await // until closed, or this task is cancelled
    /// }
    /// ```
    pub async fn wait_closed(&self) -> Result<()> {
        // `Err(Cancelled)`: the calling task was cancelled (and passed it on to the accept
        // task); a close ends the accept task with `Ok`.
        self.accept.wait().await
    }

    /// Whether the server still accepts connections.
    pub fn is_serving(&self) -> bool {
        !self.accept.done()
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.close();
    }
}
