//! Streams against real host peers. The host test (pytest/test_net.py) sends commands on the
//! control port; each runs one scenario and answers with one line. Beside it, a line server
//! counts how each of its connections ended.
//!
//! Control commands (one line each, answered with one line):
//! - `stats`: open sockets, pending poll waits, and how line-server connections ended;
//! - `fetch <host> <port>`: a client call: connect, send `hello`, read one line back;
//! - `cancel-readline <port>`: a readline cancelled (dropped by `drop_after_ms`) while a partial line is
//!   buffered, then the stream used again;
//! - `cancel-drain <port>`: a drain cancelled while the peer is not reading, then finished;
//! - `close-server`: closes the line server while its clients are connected;
//! - `udp-sink <port> <count> <hold ms>`, `udp-echo <port> <peer port>`: datagrams (see [`udp`]),
//!   answered with `udp bound` once listening, then with the counts;
//! - `ca <hex>`, `tls-fetch <port> <server name>`, `tls-cancel-read <port> <server name>`: TLS
//!   clients (see [`tls`]);
//! - `port <test> <instance> <port>`: one of MicroPython's network tests, ported (see
//!   [`ported`]), answered with its output lines and `end`.

#![no_std]

extern crate alloc;

mod ported;
mod tls;
mod udp;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};

use asyncio::net::{
    open_connection, open_sockets, start_server, Server, StreamReader, StreamWriter,
};
use asyncio::{drop_after_ms, kernel, run, Error, Result};
use zephyr::printkln;

const CONTROL_PORT: u16 = 4300;
const LINE_PORT: u16 = 4301;
const LINE_LIMIT: usize = 64;

/// How the line server's connections ended.
#[derive(Default)]
struct Endings {
    served: Cell<u32>,
    eof: Cell<u32>,
    reset: Cell<u32>,
    too_long: Cell<u32>,
    other: Cell<u32>,
}

/// Loop-thread state shared by the tasks of this test app.
struct Lab {
    endings: Endings,
    line_server: RefCell<Option<Server>>,
}

// SAFETY: the app has one thread with tasks (the loop's); nothing else touches the lab.
unsafe impl Sync for Lab {}

static LAB: Lab = Lab {
    endings: Endings {
        served: Cell::new(0),
        eof: Cell::new(0),
        reset: Cell::new(0),
        too_long: Cell::new(0),
        other: Cell::new(0),
    },
    line_server: RefCell::new(None),
};

fn bump(counter: &Cell<u32>) {
    counter.set(counter.get() + 1);
}

/// The line server: echoes each line (a partial one at the end of the stream too), says `bye`
/// when the client half-closes, and tells an oversize line off.
async fn line_client(reader: StreamReader, mut writer: StreamWriter) {
    let mut reader = reader.with_line_limit(LINE_LIMIT);
    let ended: Result<()> = async {
        loop {
            let line = reader.readline().await?;
            if line.is_empty() {
                writer.write(b"bye\n");
                return writer.wait_closed().await;
            }
            writer.write(&line);
            writer.drain().await?;
        }
    }
    .await;
    let endings = &LAB.endings;
    bump(&endings.served);
    match ended {
        Ok(()) => bump(&endings.eof),
        Err(Error::ConnectionReset) => bump(&endings.reset),
        Err(Error::LineTooLong { .. }) => {
            bump(&endings.too_long);
            writer.write(b"error: line too long\n");
            let _ = writer.wait_closed().await;
        }
        Err(e) => {
            bump(&endings.other);
            printkln!("line client ended: {e}");
        }
    }
}

fn stats() -> String {
    let e = &LAB.endings;
    format!(
        "open={} waits={} served={} eof={} reset={} too_long={} other={}",
        open_sockets(),
        kernel::pending_waits(),
        e.served.get(),
        e.eof.get(),
        e.reset.get(),
        e.too_long.get(),
        e.other.get()
    )
}

/// `fetch`: a client conversation with a host peer.
async fn fetch(host: &str, port: u16) -> Result<String> {
    let (mut reader, mut writer) = open_connection(host, port).await?;
    writer.write(b"hello\n");
    writer.drain().await?;
    let line = reader.readline().await?;
    writer.wait_closed().await?;
    Ok(format!("got {}", String::from_utf8_lossy(&line).trim_end()))
}

/// `cancel-readline`: the peer sends `par`; a readline is dropped by a timeout while those
/// bytes are buffered (retried until that is the case); the app tells the peer, which sends
/// `tial\n`; the next readline must return the whole line.
async fn cancel_readline(port: u16) -> Result<String> {
    let (mut reader, mut writer) = open_connection("127.0.0.1", port).await?;
    loop {
        match drop_after_ms(50, reader.readline()).await {
            Err(Error::Timeout) if !reader.buffered().is_empty() => break,
            Err(Error::Timeout) => continue,
            Ok(line) => return Ok(format!("unexpected line {:?}", line?)),
            Err(e) => return Err(e),
        }
    }
    let buffered = reader.buffered().len();
    writer.write(b"timed out\n");
    writer.drain().await?;
    let line = reader.readline().await?;
    writer.wait_closed().await?;
    Ok(format!(
        "buffered={buffered} line={}",
        String::from_utf8_lossy(&line).trim_end()
    ))
}

/// `cancel-drain`: the peer does not read; a drain of 16 MiB is cancelled by a timeout while
/// bytes are still buffered (retried until that is the case); the app reports how much is left
/// on the control stream, then sends the rest and closes. The peer checks every byte.
async fn cancel_drain(port: u16, control: &mut StreamWriter) -> Result<String> {
    const TOTAL: usize = 16 << 20;
    let (_reader, mut writer) = open_connection("127.0.0.1", port).await?;
    let data: Vec<u8> = (0..TOTAL).map(|i| (i % 251) as u8).collect();
    writer.write(&data);
    drop(data);
    loop {
        match drop_after_ms(50, writer.drain()).await {
            Err(Error::Timeout) if !writer.buffered().is_empty() => break,
            Err(Error::Timeout) => continue,
            Ok(drained) => {
                drained?;
                return Ok(String::from("error: the drain never blocked"));
            }
            Err(e) => return Err(e),
        }
    }
    control.write(format!("blocked left={}\n", writer.buffered().len()).as_bytes());
    control.drain().await?;
    writer.wait_closed().await?;
    Ok(format!("sent={TOTAL}"))
}

async fn command(line: &str, control: &mut StreamWriter) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let port = |i: usize| words.get(i).and_then(|p| p.parse::<u16>().ok());
    let outcome = match (words.first().copied(), words.len()) {
        (Some("stats"), 1) => Ok(stats()),
        (Some("fetch"), 3) => match port(2) {
            Some(p) => fetch(words[1], p).await,
            None => Err(Error::ValueError),
        },
        (Some("cancel-readline"), 2) => match port(1) {
            Some(p) => cancel_readline(p).await,
            None => Err(Error::ValueError),
        },
        (Some("cancel-drain"), 2) => match port(1) {
            Some(p) => cancel_drain(p, control).await,
            None => Err(Error::ValueError),
        },
        (Some("udp-sink"), 4) => match (port(1), words[2].parse(), words[3].parse()) {
            (Some(p), Ok(count), Ok(hold)) => udp::sink(p, count, hold, control).await,
            _ => Err(Error::ValueError),
        },
        (Some("udp-echo"), 3) => match (port(1), port(2)) {
            (Some(p), Some(peer)) => udp::echo(p, peer, control).await,
            _ => Err(Error::ValueError),
        },
        (Some("ca"), 2) => tls::set_ca(words[1]),
        (Some("tls-fetch"), 3) => match port(1) {
            Some(p) => tls::fetch(p, words[2]).await,
            None => Err(Error::ValueError),
        },
        (Some("tls-cancel-read"), 3) => match port(1) {
            Some(p) => tls::cancel_read(p, words[2]).await,
            None => Err(Error::ValueError),
        },
        (Some("close-server"), 1) => {
            let server = LAB.line_server.borrow_mut().take();
            match server {
                Some(mut server) => {
                    server.close();
                    server
                        .wait_closed()
                        .await
                        .map(|()| format!("closed serving={}", server.is_serving()))
                }
                None => Ok(String::from("error: not serving")),
            }
        }
        _ => Ok(format!("error: unknown command {line:?}")),
    };
    outcome.unwrap_or_else(|e| format!("error {e}"))
}

/// Long enough for a command that carries a certificate in hex.
const CONTROL_LINE_LIMIT: usize = 4096;

async fn control_client(reader: StreamReader, mut writer: StreamWriter) -> Result<()> {
    let mut reader = reader.with_line_limit(CONTROL_LINE_LIMIT);
    loop {
        let line = reader.readline().await?;
        if line.is_empty() {
            return Ok(());
        }
        let line = String::from(String::from_utf8_lossy(&line).trim());
        if let Some(args) = line.strip_prefix("port ") {
            let words: Vec<&str> = args.split_whitespace().collect();
            if let Err(e) = ported::run(&words, &mut reader, &mut writer).await {
                writer.write(format!("end error {e}\n").as_bytes());
                writer.drain().await?;
            }
            continue;
        }
        let reply = command(&line, &mut writer).await;
        writer.write(reply.as_bytes());
        writer.write(b"\n");
        writer.drain().await?;
    }
}

async fn main_task() -> Result<()> {
    let line_server = start_server(line_client, "0.0.0.0", LINE_PORT).await?;
    *LAB.line_server.borrow_mut() = Some(line_server);
    let control = start_server(control_client, "127.0.0.1", CONTROL_PORT).await?;
    printkln!("net lab ready: control {CONTROL_PORT}, lines {LINE_PORT}");
    control.wait_closed().await
}

#[no_mangle]
extern "C" fn rust_main() {
    if let Err(e) = run(main_task()).map_err(Error::from).and_then(|r| r) {
        printkln!("net lab failed: {e}");
    }
}
