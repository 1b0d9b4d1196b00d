//! zephyr-lang-rust's embassy executor's side of each workload: embassy tasks (statically
//! pooled) on `zephyr::embassy::Executor`, which runs on the calling Zephyr thread and sleeps on
//! a semaphore between polls. Its `run` never returns, so the workloads report to [`DONE`] and
//! whoever started them (the native_sim command line, or the QEMU sequence's driver task) ends
//! the program from a task.

use core::cell::Cell;

use embassy_executor::{SpawnError, Spawner};
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::signal::Signal;
use zephyr::embassy::Executor;

use crate::{note_wake_latency, start_timer, stop_timer, IsrTarget};

/// The largest `spawn` workload: embassy's task pools are sized at compile time, in an arena
/// (a Cargo feature of embassy-executor) that must also fit qemu_cortex_m3's RAM.
pub const MAX_SPAWNED: u32 = 64;

/// A workload's end: whether it completed as expected.
pub static DONE: Signal<CriticalSectionRawMutex, bool> = Signal::new();

/// Signalled by the timer's expiry, in the system clock's interrupt.
static ISR_SIGNAL: Signal<CriticalSectionRawMutex, ()> = Signal::new();

#[no_mangle]
extern "C" fn bench_embassy_isr_signal() {
    ISR_SIGNAL.signal(());
}

fn leak<T>(value: T) -> &'static T {
    alloc::boxed::Box::leak(alloc::boxed::Box::new(value))
}

#[embassy_executor::task(pool_size = 2)]
async fn player(rounds: u32, finished: &'static Cell<u32>) {
    for _ in 0..rounds {
        embassy_futures::yield_now().await;
    }
    finished.set(finished.get() + 1);
    if finished.get() == 2 {
        DONE.signal(true);
    }
}

/// Embassy tasks return nothing and have no join handle: each child reports its value into a
/// shared cell, as an embassy application would through a channel.
#[embassy_executor::task(pool_size = MAX_SPAWNED as usize)]
async fn child(n: u32, value: u32, results: &'static Cell<(u32, u64)>) {
    let (count, sum) = results.get();
    let (count, sum) = (count + 1, sum + u64::from(value));
    results.set((count, sum));
    if count == n {
        let n = u64::from(n);
        DONE.signal(sum == n * (n - 1) / 2);
    }
}

#[embassy_executor::task]
async fn isr_waiter(n: u32) {
    start_timer(IsrTarget::Embassy, n);
    for _ in 0..n {
        ISR_SIGNAL.wait().await;
        note_wake_latency();
    }
    DONE.signal(stop_timer(n));
}

/// Spawns `workload`'s tasks at size `n`; they signal [`DONE`] when finished.
pub fn spawn(s: Spawner, workload: &[u8], n: u32) -> Result<(), SpawnError> {
    match workload {
        b"switch" => {
            let finished = leak(Cell::new(0));
            s.spawn(player(n, finished))?;
            s.spawn(player(n, finished))
        }
        b"spawn" if n <= MAX_SPAWNED => {
            let results = leak(Cell::new((0, 0)));
            (0..n).try_for_each(|i| s.spawn(child(n, i, results)))
        }
        b"isr" => s.spawn(isr_waiter(n)),
        _ => Err(SpawnError::Busy),
    }
}

/// Runs the executor on this thread, starting with `init`; never returns.
pub fn run_executor(init: impl FnOnce(Spawner)) -> ! {
    let executor: &'static mut Executor =
        alloc::boxed::Box::leak(alloc::boxed::Box::new(Executor::new()));
    executor.run(init)
}
