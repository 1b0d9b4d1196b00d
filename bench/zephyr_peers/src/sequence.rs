//! Boards other than native_sim (qemu_cortex_m3): every measurement in one boot, timed with the
//! cycle counter, printed one per line for `scripts/bench qemu`:
//!
//! - `bench-cycles <peer> <workload> <n> <cycles for n> <cycles for 2n>`;
//! - `bench-latency <peer> <wakes> <summed cycles from the expiry to the woken task>`;
//! - `bench-edge-latency <peer> <wakes> <summed cycles from the expiry, which toggles a pin, to
//!   the task its edge interrupt woke>`;
//! - `bench-loaded-latency <workload> <wakes> <summed cycles> <largest> <cycles per second>`:
//!   the wakes of a flag set by a timer while ten tasks each hold the loop 5 ms, plain and urgent;
//! - `bench-memory <bytes malloc'd per create_task beyond its future or output, the larger>`;
//! - `bench-header <bytes> <field>`: the task header's fields on this target, then its padding;
//! - `bench: all done`.
//!
//! embassy comes last: its executor never returns, so a driver task runs its measurements
//! and prints the end line.

use alloc::vec::Vec;

use asyncio::{create_task, Error, Task};
use zephyr::printkln;
use zephyr::raw::k_cycle_get_32;

use embassy_executor::Spawner;

use crate::{asyncio_peer, embassy_peer, print_loaded_latency, threads};

/// The sizes: n, then 2n.
const SWITCH_ROUNDS: u32 = 500;
const SPAWNED: u32 = embassy_peer::MAX_SPAWNED / 2;
const WAKES: u32 = 100;
const TASKS_COUNTED: usize = 32;
const LOADED_WAKES: u32 = 40;

extern "C" {
    static bench_malloc_bytes: usize;
    static bench_latency_cycles: u64;
}

fn measure(peer: &str, workload: &[u8], n: u32) -> u32 {
    let start = k_cycles();
    let ok = match peer {
        "asyncio" => asyncio_peer::run(workload, n, false),
        "asyncio-lean" => asyncio_peer::run(workload, n, true),
        _ => threads(workload, n),
    };
    let cycles = k_cycles().wrapping_sub(start);
    assert!(ok, "bench: {peer} failed");
    cycles
}

fn k_cycles() -> u32 {
    // SAFETY: a plain syscall.
    unsafe { k_cycle_get_32() }
}

fn malloc_bytes() -> usize {
    // SAFETY: written only by this thread's mallocs.
    unsafe { core::ptr::read_volatile(&raw const bench_malloc_bytes) }
}

/// Bytes malloc'd per `create_task` beyond what the task's own work needs: its future, or its
/// output, whichever is larger (the task holds one, then the other, in the same bytes).
fn task_overhead() -> usize {
    let future = async { Ok::<u64, Error>(7) };
    let work_size = core::mem::size_of_val(&future).max(core::mem::size_of::<Result<u64, Error>>());
    drop(future);
    asyncio::run(async move {
        // The handles' Vec is allocated before counting: it is the benchmark's, not the loop's.
        let mut tasks: Vec<Task<Result<u64, Error>>> = Vec::with_capacity(TASKS_COUNTED);
        let before = malloc_bytes();
        for _ in 0..TASKS_COUNTED {
            tasks.push(create_task(async { Ok::<u64, Error>(7) }));
        }
        let per_task = (malloc_bytes() - before) / TASKS_COUNTED;
        for t in tasks {
            t.await?;
        }
        Ok::<_, Error>(per_task - work_size)
    })
    .expect("the loop runs")
    .expect("no task fails")
}

pub fn run() -> ! {
    let sizes = [
        (b"switch".as_slice(), SWITCH_ROUNDS),
        (b"spawn".as_slice(), SPAWNED),
    ];
    for (workload, n) in sizes {
        for peer in ["asyncio", "asyncio-lean", "threads"] {
            let (one, two) = (measure(peer, workload, n), measure(peer, workload, 2 * n));
            let name = core::str::from_utf8(workload).unwrap_or("?");
            printkln!("bench-cycles {peer} {name} {n} {one} {two}");
        }
    }
    for peer in ["asyncio", "asyncio-lean", "threads"] {
        measure(peer, b"isr", WAKES);
        printkln!("bench-latency {peer} {WAKES} {}", latency_sum());
        measure(peer, b"edge", WAKES);
        printkln!("bench-edge-latency {peer} {WAKES} {}", latency_sum());
    }
    for workload in [b"loaded".as_slice(), b"loaded-urgent"] {
        measure("asyncio", workload, LOADED_WAKES);
        print_loaded_latency(workload, LOADED_WAKES);
    }
    printkln!("bench-memory {}", task_overhead());
    for (field, bytes) in asyncio::__task_header_layout() {
        printkln!("bench-header {bytes} {field}");
    }
    embassy_peer::run_executor(|s| s.must_spawn(embassy_driver()))
}

fn latency_sum() -> u64 {
    // SAFETY: the timer has stopped; nothing writes the sum now.
    unsafe { core::ptr::read_volatile(&raw const bench_latency_cycles) }
}

/// Times one embassy workload: from spawning its tasks to their report.
async fn embassy_cycles(spawner: Spawner, workload: &[u8], n: u32) -> u32 {
    let start = k_cycles();
    embassy_peer::spawn(spawner, workload, n).expect("bench: embassy spawn failed");
    assert!(embassy_peer::DONE.wait().await, "bench: embassy failed");
    k_cycles().wrapping_sub(start)
}

#[embassy_executor::task]
async fn embassy_driver() {
    let spawner = Spawner::for_current_executor().await;
    for (workload, n) in [(b"switch".as_slice(), SWITCH_ROUNDS), (b"spawn", SPAWNED)] {
        let one = embassy_cycles(spawner, workload, n).await;
        let two = embassy_cycles(spawner, workload, 2 * n).await;
        let name = core::str::from_utf8(workload).unwrap_or("?");
        printkln!("bench-cycles embassy {name} {n} {one} {two}");
    }
    embassy_cycles(spawner, b"isr", WAKES).await;
    printkln!("bench-latency embassy {WAKES} {}", latency_sum());
    printkln!("bench: all done");
}
