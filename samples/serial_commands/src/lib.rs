//! A command console: one task reads lines from the console UART while the others run.
//!
//! `src/serial_lines.c` turns the UART's receive interrupt into complete lines in a `k_msgq`;
//! the console task awaits that queue in the loop's `k_poll`, so it costs nothing while nobody
//! types. Commands:
//!
//! - `status`: uptime, the loop's statistics, lines dropped;
//! - `tasks`: every task and what it is waiting for;
//! - `cancel <name>`: cancels a task by name;
//! - `help`.

#![no_std]

extern crate alloc;

use alloc::rc::Rc;
use core::sync::atomic::{AtomicI32, Ordering};

use asyncio::kernel::KMsgq;
use asyncio::{
    create_task, current_task, get_event_loop, run, sleep_ms, ticks_ms, Error, Event, Result,
};
use zephyr::printkln;

const LINE_MAX: usize = 64;

/// `struct serial_line` of src/serial_lines.c.
#[repr(C)]
#[derive(Clone, Copy)]
struct Line {
    len: u16,
    too_long: u8,
    text: [u8; LINE_MAX],
}

extern "C" {
    /// Enables the UART's receive interrupt; 0 or a negative errno.
    fn serial_lines_init() -> i32;
    static mut serial_lines: zephyr::raw::k_msgq;
    static serial_lines_dropped: AtomicI32;
}

// SAFETY: `serial_lines` is K_MSGQ_DEFINE'd in C with messages of `struct serial_line`, which
// `Line` mirrors, and lives for the whole program.
static LINES: KMsgq<Line> = unsafe { KMsgq::from_raw(&raw mut serial_lines) };

async fn heartbeat() -> Result<()> {
    loop {
        sleep_ms(1000).await?;
        printkln!("{:>6} ms: heartbeat", ticks_ms());
    }
}

/// Stands for a task blocked on something that never comes.
async fn wait_for_calibration(done: Rc<Event>) -> Result<()> {
    done.wait().await?;
    Ok(())
}

fn status() {
    let stats = get_event_loop().stats();
    // SAFETY: an atomic the C side only increments.
    let dropped = unsafe { serial_lines_dropped.load(Ordering::Relaxed) };
    printkln!(
        "uptime {} ms, {} tasks, {} scheduling rounds, {} parks in k_poll, {dropped} lines dropped",
        ticks_ms(),
        stats.tasks_alive,
        stats.rounds,
        stats.parks,
    );
}

fn tasks() {
    for task in get_event_loop().tasks() {
        printkln!("  {:<12} {}", task.name(), task.waiting());
    }
}

fn cancel(name: &str) {
    match get_event_loop().tasks().find(|t| t.name() == name) {
        Some(task) if current_task().as_ref() == Some(&task) => {
            printkln!("not cancelling the console itself")
        }
        Some(task) => {
            task.cancel();
            printkln!("cancelled {name}");
        }
        None => printkln!("no task named '{name}' (see: tasks)"),
    }
}

fn execute(command: &str) {
    let mut words = command.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (None, ..) => {}
        (Some("status"), None, _) => status(),
        (Some("tasks"), None, _) => tasks(),
        (Some("cancel"), Some(name), None) => cancel(name),
        (Some("help"), None, _) => printkln!("commands: status, tasks, cancel <name>, help"),
        _ => {
            printkln!("unknown command '{command}' (commands: status, tasks, cancel <name>, help)")
        }
    }
}

async fn console() -> Result<()> {
    loop {
        let line = LINES.get().await?;
        let text = &line.text[..line.len as usize];
        match core::str::from_utf8(text) {
            _ if line.too_long != 0 => {
                printkln!("error: line longer than {LINE_MAX} bytes, ignored")
            }
            Ok(command) => execute(command.trim()),
            Err(_) => printkln!("error: not UTF-8, ignored"),
        }
    }
}

async fn main() -> Result<()> {
    current_task().unwrap().set_name("main");
    // SAFETY: a plain C call, once.
    let err = unsafe { serial_lines_init() };
    if err != 0 {
        return Err(Error::Os(err));
    }
    create_task(heartbeat()).set_name("heartbeat");
    let calibrated = Rc::new(Event::new());
    create_task(wait_for_calibration(calibrated.clone())).set_name("calibration");
    let console = create_task(console());
    console.set_name("console");
    printkln!("ready: type help");
    console.await
}

#[no_mangle]
extern "C" fn rust_main() {
    if let Err(e) = run(main()).map_err(Error::from).and_then(|r| r) {
        printkln!("failed: {e}");
    }
}
