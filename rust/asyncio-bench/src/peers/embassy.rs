//! embassy-executor's raw executor, polled on this thread until it has nothing left to run
//! (embassy's std executor never returns), with embassy-sync's `Signal` as the event. Tasks are
//! embassy's own: statically pooled, spawned through the executor's `Spawner`.

use std::cell::Cell;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use embassy_executor::{raw, Spawner};
use embassy_sync::blocking_mutex::raw::NoopRawMutex;
use embassy_sync::signal::Signal;

/// Set by embassy when a task becomes ready: the driver polls again.
static PENDED: AtomicBool = AtomicBool::new(false);

// The raw executor calls this when a task is woken (on Cortex-M it would pend an interrupt).
#[export_name = "__pender"]
fn pender(_context: *mut ()) {
    PENDED.store(true, Ordering::Release);
}

/// Spawns the workload's tasks on a fresh executor and polls it until no task is ready; the
/// time from spawning to idle.
fn run_until_idle(spawn: impl FnOnce(Spawner)) -> Duration {
    // An embassy executor lives for 'static; one per run is leaked (a few words).
    let executor: &'static raw::Executor = Box::leak(Box::new(raw::Executor::new(ptr::null_mut())));
    let start = Instant::now();
    spawn(executor.spawner());
    while PENDED.swap(false, Ordering::Acquire) {
        // SAFETY: polled from this thread only, never from the pender.
        unsafe { executor.poll() };
    }
    start.elapsed()
}

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

#[embassy_executor::task(pool_size = 2)]
async fn yielder(rounds: u64, done: &'static Cell<u64>) {
    for _ in 0..rounds {
        embassy_futures::yield_now().await;
    }
    done.set(done.get() + 1);
}

pub fn yield_ping_pong(rounds: u64) -> Duration {
    let done = leak(Cell::new(0));
    let time = run_until_idle(|s| {
        s.must_spawn(yielder(rounds, done));
        s.must_spawn(yielder(rounds, done));
    });
    assert_eq!(done.get(), 2);
    time
}

type Event = Signal<NoopRawMutex, ()>;

#[embassy_executor::task]
async fn ping_server(rounds: u64, ping: &'static Event, pong: &'static Event) {
    for _ in 0..rounds {
        ping.wait().await;
        pong.signal(());
    }
}

#[embassy_executor::task]
async fn ping_client(
    rounds: u64,
    ping: &'static Event,
    pong: &'static Event,
    done: &'static Cell<bool>,
) {
    for _ in 0..rounds {
        ping.signal(());
        pong.wait().await;
    }
    done.set(true);
}

pub fn signal_ping_pong(rounds: u64) -> Duration {
    let (ping, pong, done) = (
        leak(Event::new()),
        leak(Event::new()),
        leak(Cell::new(false)),
    );
    let time = run_until_idle(|s| {
        s.must_spawn(ping_server(rounds, ping, pong));
        s.must_spawn(ping_client(rounds, ping, pong, done));
    });
    assert!(done.get());
    time
}

/// Embassy tasks return nothing and have no join handle: each child reports its value into a
/// shared cell, as an embassy application would through a channel or a signal.
#[embassy_executor::task(pool_size = 10_000)]
async fn child(value: u64, results: &'static Cell<(u64, u64)>) {
    let (count, sum) = results.get();
    results.set((count + 1, sum + value));
}

pub fn spawn_and_collect(n: u64) -> Duration {
    let results = leak(Cell::new((0, 0)));
    let time = run_until_idle(|s| {
        for i in 0..n {
            s.must_spawn(child(i, results));
        }
    });
    assert_eq!(results.get(), (n, n * (n - 1) / 2));
    time
}
