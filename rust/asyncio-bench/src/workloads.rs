//! The workloads, each run on every peer that has the primitives for it.

use std::time::Duration;

use crate::peers::{asyncio, embassy, local_pool, tokio_rt};

/// One run of a workload on one peer; returns the time of its measured section.
pub type Run = Box<dyn FnMut() -> Duration>;

/// One workload: its name, the operations one run performs, and a run per peer.
pub struct Workload {
    pub name: &'static str,
    pub ops: u64,
    pub runs: Vec<(&'static str, Run)>,
}

/// Every workload at `scale` (1 for the smoke run, 100 for the benchmark).
pub fn all(scale: u64) -> Vec<Workload> {
    let rounds = 1000 * scale;
    let spawned = 100 * scale;
    let timers = 100 * scale;
    let waiters = 10 * scale;
    vec![
        Workload {
            name: "yield_ping_pong",
            ops: 2 * rounds,
            runs: vec![
                (
                    "asyncio",
                    Box::new(move || asyncio::yield_ping_pong(rounds)),
                ),
                ("tokio", Box::new(move || tokio_rt::yield_ping_pong(rounds))),
                (
                    "embassy",
                    Box::new(move || embassy::yield_ping_pong(rounds)),
                ),
                (
                    "LocalPool",
                    Box::new(move || local_pool::yield_ping_pong(rounds)),
                ),
            ],
        },
        Workload {
            name: "event_ping_pong",
            ops: 2 * rounds,
            runs: vec![
                (
                    "asyncio",
                    Box::new(move || asyncio::event_ping_pong(rounds)),
                ),
                (
                    "tokio",
                    Box::new(move || tokio_rt::notify_ping_pong(rounds)),
                ),
                (
                    "embassy",
                    Box::new(move || embassy::signal_ping_pong(rounds)),
                ),
            ],
        },
        Workload {
            name: "spawn_and_gather",
            ops: spawned,
            runs: vec![
                (
                    "asyncio",
                    Box::new(move || asyncio::spawn_and_gather(spawned)),
                ),
                ("tokio", Box::new(move || tokio_rt::spawn_and_join(spawned))),
                (
                    "embassy",
                    Box::new(move || embassy::spawn_and_collect(spawned)),
                ),
                (
                    "LocalPool",
                    Box::new(move || local_pool::spawn_and_join(spawned)),
                ),
            ],
        },
        Workload {
            name: "timers",
            ops: timers,
            runs: vec![
                ("asyncio", Box::new(move || asyncio::timers(timers))),
                ("tokio", Box::new(move || tokio_rt::timers(timers))),
            ],
        },
        Workload {
            name: "timers_gathered",
            ops: timers,
            runs: vec![(
                "asyncio",
                Box::new(move || asyncio::timers_gathered(timers)),
            )],
        },
        Workload {
            name: "event_fan_out",
            ops: waiters,
            runs: vec![
                ("asyncio", Box::new(move || asyncio::event_fan_out(waiters))),
                ("tokio", Box::new(move || tokio_rt::notify_fan_out(waiters))),
            ],
        },
    ]
}

/// Sleep durations in 1..=10 000 ms, the same pseudo-random sequence for every peer.
pub fn sleep_durations(n: u64) -> impl Iterator<Item = u64> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..n).map(move |_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        1 + x % 10_000
    })
}
