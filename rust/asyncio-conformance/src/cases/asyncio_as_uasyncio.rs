//! `asyncio_as_uasyncio.py`: the public names a MicroPython user expects exist. Python checks
//! with `getattr` at run time; here the check is that this module compiles, naming each one.
//! The stream types (`StreamReader`, `StreamWriter`) are the core's and named here; the
//! stream functions (`open_connection`, `start_server`) are the Zephyr layer's
//! (`asyncio::net`), which this crate cannot name: `tests/net`'s ports of MicroPython's network
//! tests call them.

use super::prelude::*;

pub const EXPECTED: &str = "";

pub fn run(_: &Out, _: &'static dyn Hooks) {
    let _cancelled_error = Error::Cancelled;
    let _create_task = create_task::<core::future::Ready<()>>;
    let _current_task = current_task;
    let _event = Event::new;
    let _gather = gather::<Vec<Task<()>>>;
    let _get_event_loop = get_event_loop;
    let _lock = Lock::new;
    let _loop: Option<Loop> = None;
    let _run = asyncio_core::run::<core::future::Ready<()>>;
    let _run_until_complete = Loop::run_until_complete::<core::future::Ready<()>>;
    let _sleep = sleep;
    let _sleep_ms = sleep_ms;
    let _task: Option<Task<()>> = None;
    let _thread_safe_flag = ThreadSafeFlag::new;
    let _wait_for: fn(Task<()>, Duration) -> WaitFor<()> = wait_for;
    let _stream_reader = io::StreamReader::<&[u8]>::new;
    let _stream_writer = io::StreamWriter::<Vec<u8>>::new;
}
