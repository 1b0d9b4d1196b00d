//! Host benchmarks: the asyncio core against tokio's current-thread runtime and futures'
//! `LocalPool`, on the same workloads in one process. Prints one JSON object per measurement
//! (`{"workload", "peer", "ns_per_op", "ops"}`) for `scripts/bench` to tabulate.
//!
//! `asyncio-bench [--smoke]`: `--smoke` runs every workload once at a tiny size (the test
//! command's check that they still run).

mod alloc_counter;
mod peers;
mod workloads;

use std::time::Duration;

/// Runs `f` (which performs `ops` operations and returns the time they took) `repeats` times;
/// the fastest run's time per op.
fn measure(repeats: usize, ops: u64, mut f: impl FnMut() -> Duration) -> f64 {
    (0..repeats)
        .map(|_| f().as_nanos() as f64 / ops as f64)
        .fold(f64::INFINITY, f64::min)
}

fn report(workload: &str, peer: &str, ops: u64, ns_per_op: f64) {
    println!(
        "{{\"workload\": \"{workload}\", \"peer\": \"{peer}\", \"ops\": {ops}, \"ns_per_op\": {ns_per_op:.2}}}"
    );
}

fn main() {
    let smoke = std::env::args().any(|a| a == "--smoke");
    let scale = if smoke { 1 } else { 100 };
    let repeats = if smoke { 1 } else { 5 };
    for w in workloads::all(scale) {
        for (peer, mut run) in w.runs {
            let ns = measure(repeats, w.ops, &mut run);
            report(w.name, peer, w.ops, ns);
        }
    }
    let overhead = alloc_counter::task_overhead_bytes();
    println!("{{\"workload\": \"task_overhead\", \"peer\": \"asyncio\", \"ops\": 1, \"bytes\": {overhead}}}");
}
