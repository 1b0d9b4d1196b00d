//! A command console: one task reads lines from the console UART while the others run.
//!
//! `asyncio::serial` turns the UART's receive interrupt into lines in a `k_msgq`; the console
//! task awaits them in the loop's `k_poll`, so it costs nothing while nobody types. Commands:
//!
//! - `status`: uptime, the loop's statistics, lines dropped;
//! - `tasks`: every task and what it is waiting for;
//! - `cancel <name>`: cancels a task by name;
//! - `help`.

#![no_std]

extern crate alloc;

use alloc::rc::Rc;
use alloc::string::ToString;

use asyncio::serial::{console_lines, LineReader};
use asyncio::{
    create_task, current_task, get_event_loop, run, sleep_ms, ticks_ms, Error, Event, Result,
};
use zephyr::printkln;

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

fn status(console: &LineReader) {
    let stats = get_event_loop().stats();
    printkln!(
        "uptime {} ms, {} tasks, {} scheduling rounds, {} parks in k_poll, {} lines dropped",
        ticks_ms(),
        stats.tasks_alive,
        stats.rounds,
        stats.parks,
        console.dropped(),
    );
}

fn tasks() {
    for task in get_event_loop().tasks() {
        printkln!("  {:<12} {}", task.name(), task.waiting());
    }
}

/// The loop's full listing: counters, then each task's state, age and polls.
fn dump() {
    for line in get_event_loop().dump().to_string().lines() {
        printkln!("{line}");
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

fn execute(console: &LineReader, command: &str) {
    let mut words = command.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (None, ..) => {}
        (Some("status"), None, _) => status(console),
        (Some("tasks"), None, _) => tasks(),
        (Some("dump"), None, _) => dump(),
        (Some("cancel"), Some(name), None) => cancel(name),
        (Some("help"), None, _) => printkln!("commands: status, tasks, dump, cancel <name>, help"),
        _ => {
            printkln!(
                "unknown command '{command}' (commands: status, tasks, dump, cancel <name>, help)"
            )
        }
    }
}

async fn console(lines: &'static LineReader) -> Result<()> {
    loop {
        match lines.read_line().await?.text() {
            Ok(command) => execute(lines, command.trim()),
            Err(bad) => printkln!("error: {bad}"),
        }
    }
}

async fn main() -> Result<()> {
    current_task().unwrap().set_name("main");
    let lines = console_lines()?;
    create_task(heartbeat()).set_name("heartbeat");
    let calibrated = Rc::new(Event::new());
    create_task(wait_for_calibration(calibrated.clone())).set_name("calibration");
    let console = create_task(console(lines));
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
