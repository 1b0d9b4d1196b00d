//! The asyncio loop's side of each workload.

use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::Cell;
use core::sync::atomic::{AtomicU32, Ordering};

use asyncio::c_api::AsyncioFlag;
use asyncio::gpio::{Edge, InputPin};
use asyncio::{create_task, gather, urgent, yield_now, Diagnostics, Error};

use crate::{arm_timer_once, note_wake_latency, reset_timer, start_timer, stop_timer, IsrTarget};

/// The loaded workload's load: this many tasks, each holding the loop this long per poll.
const HOGS: usize = 10;
const HOG_SLICE_US: u32 = 5000;

/// The largest wake latency of the last loaded run, in cycles.
pub static LOADED_MAX_CYCLES: AtomicU32 = AtomicU32::new(0);

/// Set by the timer's expiry (harness.c) in the `isr` workload.
#[no_mangle]
pub static bench_isr_flag: AsyncioFlag = AsyncioFlag::new();

async fn switch(rounds: u32) -> Result<bool, Error> {
    let player = || async move {
        for _ in 0..rounds {
            yield_now().await?;
        }
        Ok::<_, Error>(())
    };
    gather((player(), player())).await?;
    Ok(true)
}

async fn spawn(n: u32) -> Result<bool, Error> {
    let children: Vec<_> = (0..n).map(|i| async move { Ok::<_, Error>(i) }).collect();
    let values = gather(children).await?;
    Ok(values.iter().map(|&v| u64::from(v)).sum::<u64>()
        == u64::from(n) * u64::from(n.saturating_sub(1)) / 2)
}

async fn isr(n: u32) -> Result<bool, Error> {
    start_timer(IsrTarget::Asyncio, n);
    for _ in 0..n {
        bench_isr_flag.wait().await?;
        note_wake_latency();
    }
    Ok(stop_timer(n))
}

async fn edge(n: u32) -> Result<bool, Error> {
    let mut pin = InputPin::from_dt(asyncio::dt_node!(bench_pin))?;
    start_timer(IsrTarget::Edge, n);
    for _ in 0..n {
        pin.wait_for_edge(Edge::Any).await?;
        note_wake_latency();
    }
    Ok(stop_timer(n))
}

/// Holds the loop for a slice (a long synchronous call, as a tight loop or a blocking driver
/// would), then yields, until `stop`.
async fn hog(stop: Rc<Cell<bool>>) -> Result<(), Error> {
    while !stop.get() {
        // SAFETY: a plain kernel call.
        unsafe { zephyr::raw::k_busy_wait(HOG_SLICE_US) };
        yield_now().await?;
    }
    Ok(())
}

/// n expiries of a one-shot timer, each re-armed after the wake it caused at a different
/// phase of the hogs' 50 ms round (delays 51 to 101 ms, stepping by a prime: at most one
/// expiry per round, the rate the urgent lane's once-per-round bound serves at once), while
/// the measured task waits for the flag plainly (it runs after every hog ready before it) or
/// `urgent`ly (after the poll in progress).
async fn loaded(n: u32, urgently: bool) -> Result<bool, Error> {
    let stop = Rc::new(Cell::new(false));
    let hogs: Vec<_> = (0..HOGS).map(|_| create_task(hog(stop.clone()))).collect();
    yield_now().await?; // the hogs are running
    reset_timer(IsrTarget::Asyncio, n);
    let mut max = 0;
    for i in 0..n {
        arm_timer_once(51_000 + i * 7919 % 50_000);
        if urgently {
            urgent(bench_isr_flag.wait()).await?;
        } else {
            bench_isr_flag.wait().await?;
        }
        max = max.max(note_wake_latency());
    }
    stop.set(true);
    for hog in hogs {
        hog.await?;
    }
    LOADED_MAX_CYCLES.store(max, Ordering::Relaxed);
    Ok(stop_timer(n))
}

/// Runs `workload` on a fresh loop; whether it completed as expected. `lean`: with the
/// slow-task detector off (its two cycle-counter reads per poll), as an application may
/// choose for production (`CONFIG_ASYNCIO_SLOW_TASK_MS=0`).
pub fn run(workload: &[u8], n: u32, lean: bool) -> bool {
    // Set either way: the loop's settings outlive a run.
    let lp = asyncio::get_event_loop();
    lp.set_diagnostics(Diagnostics {
        slow_poll_ms: if lean {
            0
        } else {
            zephyr::kconfig::CONFIG_ASYNCIO_SLOW_TASK_MS as u32
        },
        ..lp.diagnostics()
    });
    let out = match workload {
        b"switch" => asyncio::run(switch(n)),
        b"spawn" => asyncio::run(spawn(n)),
        b"isr" => asyncio::run(isr(n)),
        b"edge" => asyncio::run(edge(n)),
        b"loaded" => asyncio::run(loaded(n, false)),
        b"loaded-urgent" => asyncio::run(loaded(n, true)),
        _ => return false,
    };
    matches!(out, Ok(Ok(true)))
}
