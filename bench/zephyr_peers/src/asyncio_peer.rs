//! The asyncio loop's side of each workload.

use alloc::vec::Vec;

use asyncio::c_api::AsyncioFlag;
use asyncio::gpio::{Edge, InputPin};
use asyncio::{gather, yield_now, Diagnostics, Error};

use crate::{note_wake_latency, start_timer, stop_timer, IsrTarget};

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
        _ => return false,
    };
    matches!(out, Ok(Ok(true)))
}
