//! `asyncio_event_queue.py`: the loop stays alive with an empty run queue while the main task
//! waits for something only the outside can trigger (MicroPython issue #16569).
//!
//! Rust difference: an `Event` cannot be set from outside the loop (it is not `Sync`: a compile
//! error, where MicroPython's test has to break its own rule), so the outside sets a
//! `ThreadSafeFlag`. The watchdog's line is printed by the woken task, after checking that the
//! outside really fired and that the loop parked (blocked, not spinning) until then.

use super::prelude::*;
use core::sync::atomic::{AtomicBool, Ordering};

pub const EXPECTED: &str =
    "main started\nfoo waiting\nasyncio still pending, unlocking event\nfoo done\nmain done\n";

static FLAG: ThreadSafeFlag = ThreadSafeFlag::new();
static FIRED: AtomicBool = AtomicBool::new(false);

fn watchdog() {
    FIRED.store(true, Ordering::SeqCst);
    FLAG.set();
}

async fn foo(out: Out, hooks: &'static dyn Hooks) -> Result<()> {
    say!(out, "foo waiting");
    FIRED.store(false, Ordering::SeqCst);
    hooks.later(100, watchdog);
    let parks = get_event_loop().stats().parks;
    FLAG.wait().await?;
    if FIRED.load(Ordering::SeqCst) && get_event_loop().stats().parks > parks {
        say!(out, "asyncio still pending, unlocking event");
    }
    say!(out, "foo done");
    Ok(())
}

pub fn run(out: &Out, hooks: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        say!(out, "main started");
        foo(out.clone(), hooks).await?;
        say!(out, "main done");
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
