//! A line-based echo server: every client gets a task that reads lines and writes them back,
//! while a heartbeat task reports how many connections are open and served.
//!
//! Try it on native_sim: `nc 127.0.0.1 4242`, type lines; a line longer than 128 bytes gets an
//! error and the connection is closed.

#![no_std]

use core::sync::atomic::{AtomicU32, Ordering};

use asyncio::net::{open_sockets, start_server, StreamReader, StreamWriter};
use asyncio::{create_task, run, sleep_ms, Error, Result};
use zephyr::printkln;

const PORT: u16 = 4242;
const LINE_LIMIT: usize = 128;

static SERVED: AtomicU32 = AtomicU32::new(0);

/// One client's conversation: lines back as they come, until the client closes.
async fn echo(reader: StreamReader, mut writer: StreamWriter) {
    let mut reader = reader.with_line_limit(LINE_LIMIT);
    let ended = loop {
        match reader.readline().await {
            Ok(line) if line.is_empty() => break Ok(()),
            Ok(line) => {
                writer.write(&line);
                if let Err(e) = writer.drain().await {
                    break Err(e);
                }
            }
            Err(e @ Error::LineTooLong { .. }) => {
                writer.write(b"error: line longer than 128 bytes\n");
                break writer.wait_closed().await.and(Err(e));
            }
            Err(e) => break Err(e),
        }
    };
    SERVED.fetch_add(1, Ordering::Relaxed);
    if let Err(e) = ended {
        printkln!("client {:?}: {e}", writer.peername());
    }
}

async fn heartbeat() -> Result<()> {
    for beat in 1.. {
        sleep_ms(1000).await?;
        printkln!(
            "heartbeat {beat}: {} sockets open, {} connections served",
            open_sockets(),
            SERVED.load(Ordering::Relaxed)
        );
    }
    Ok(())
}

async fn main_task() -> Result<()> {
    let _heartbeat = create_task(heartbeat());
    let server = start_server(echo, "0.0.0.0", PORT).await?;
    printkln!("echo server listening on port {PORT}");
    server.wait_closed().await
}

#[no_mangle]
extern "C" fn rust_main() {
    if let Ok(Err(e)) = run(main_task()) {
        printkln!("echo server failed: {e}");
    }
}
