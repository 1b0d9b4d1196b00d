//! [`serve`]: a TCP server whose every connection serves a `picoserve` router.

use alloc::rc::Rc;

use asyncio_core::http::server::picoserve::routing::PathRouter;
use asyncio_core::http::server::picoserve::Router;
use asyncio_core::http::server::serve_connection;
use asyncio_core::{Error, Result};

use crate::net::{start_server, Server};

/// Serves `app` on `host:port`: every connection a task of its own, as
/// [`start_server`](crate::net::start_server)'s are. Returns at once with the TCP server;
/// dropping or closing it stops accepting.
///
/// A connection that breaks HTTP (the client gets a 400) or stalls past picoserve's timeouts
/// is closed and logged; the server goes on.
///
/// ```no_run
/// use alloc::rc::Rc;
/// use asyncio::http::server::picoserve::{routing::get, Router};
///
/// async fn status_page() -> asyncio::Result<()> {
///     let app = Router::new()
///         .route("/", get(|| async { "camera node\n" }))
///         .route("/uptime", get(|| async { alloc::format!("{} ms\n", asyncio::ticks_ms()) }));
///     let server = asyncio::http::serve(Rc::new(app), "0.0.0.0", 80).await?;
///     server.wait_closed().await
/// }
/// ```
pub async fn serve<P: PathRouter + 'static>(
    app: Rc<Router<P>>,
    host: &str,
    port: u16,
) -> Result<Server> {
    let connection = move |reader, writer| {
        let app = app.clone();
        async move {
            match serve_connection(&app, reader, writer).await {
                Ok(_) | Err(Error::ConnectionReset) => {}
                Err(e) => log::info!("asyncio: an HTTP connection ended: {e}"),
            }
        }
    };
    start_server(connection, host, port).await
}
