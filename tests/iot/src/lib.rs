//! The IoT protocols against real peers. The host test (pytest/test_mqtt.py) sends commands on
//! the control port; each answers with one line. See [`mqtt`] and [`http`] for the commands. Started
//! with `--fleet-id`, the app is one device of the fleet test instead ([`fleet`]).

#![no_std]

extern crate alloc;

mod fleet;
mod http;
mod mqtt;
mod web;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use asyncio::net::{start_server, StreamReader, StreamWriter};
use asyncio::{run, Error, Result};
use zephyr::printkln;

const CONTROL_PORT: u16 = 4400;

/// Long enough for a command that carries a certificate in hex.
const CONTROL_LINE_LIMIT: usize = 4096;

async fn control_client(reader: StreamReader, mut writer: StreamWriter) -> Result<()> {
    let mut reader = reader.with_line_limit(CONTROL_LINE_LIMIT);
    loop {
        let line = reader.readline().await?;
        if line.is_empty() {
            return Ok(());
        }
        let line = String::from_utf8_lossy(&line);
        let words: Vec<&str> = line.split_whitespace().collect();
        let outcome = match mqtt::command(&words).await {
            Some(outcome) => Some(outcome),
            None => http::command(&words).await,
        };
        let reply = match outcome {
            Some(outcome) => outcome.unwrap_or_else(|e| format!("error {e}")),
            None => format!("error: unknown command {:?}", line.trim()),
        };
        writer.write(reply.as_bytes());
        writer.write(b"\n");
        writer.drain().await?;
    }
}

async fn main_task() -> Result<()> {
    let control = start_server(control_client, "127.0.0.1", CONTROL_PORT).await?;
    printkln!("iot lab ready: control {CONTROL_PORT}");
    control.wait_closed().await
}

#[no_mangle]
extern "C" fn rust_main() {
    if let Some((id, port)) = fleet::identity() {
        let done = run(fleet::device(id, port))
            .map_err(Error::from)
            .and_then(|r| r);
        if let Err(e) = &done {
            printkln!("fleet device failed: {e}");
        }
        fleet::exit(done.is_ok());
    }
    if let Err(e) = run(main_task()).map_err(Error::from).and_then(|r| r) {
        printkln!("iot lab failed: {e}");
    }
}
