//! `http-serve <port>`: starts an HTTP server on 127.0.0.1:`port` (answers `serving`) with
//! `GET /` (a greeting), `GET /count` (a counter, one more per request) and `GET /slow` (a
//! reply after 200 ms, so that clients overlap), for the host's curl and requests.

use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::{Cell, RefCell};

use asyncio::http::server::picoserve::{routing::get, Router};
use asyncio::net::Server;
use asyncio::{sleep_ms, Error, Result};

/// The running server, kept so that it serves on.
struct Running(RefCell<Option<Server>>);

// SAFETY: the app has one thread with tasks (the loop's); nothing else touches it.
unsafe impl Sync for Running {}

static RUNNING: Running = Running(RefCell::new(None));

pub async fn serve(port: &str) -> Result<String> {
    let port: u16 = port.parse().map_err(|_| Error::ValueError)?;
    let count = Rc::new(Cell::new(0u32));
    let app = Router::new()
        .route("/", get(|| async { "hello from zephyr-asyncio\n" }))
        .route(
            "/count",
            get(move || {
                count.set(count.get() + 1);
                let n = count.get();
                async move { format!("count {n}\n") }
            }),
        )
        .route(
            "/slow",
            get(|| async {
                let slept = sleep_ms(200).await.is_ok();
                format!("slept {slept}\n")
            }),
        );
    let server = asyncio::http::serve(Rc::new(app), "127.0.0.1", port).await?;
    *RUNNING.0.borrow_mut() = Some(server);
    Ok("serving".into())
}
