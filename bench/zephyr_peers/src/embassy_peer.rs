//! zephyr-lang-rust's embassy executor's side of each workload: embassy tasks (statically
//! pooled) on `zephyr::embassy::Executor`, which runs on this Zephyr thread and sleeps on a
//! semaphore between polls. Its `run` never returns: the last task ends the program.

use core::cell::Cell;

use embassy_executor::Spawner;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::signal::Signal;
use zephyr::embassy::Executor;

use crate::command_line::Run;
use crate::{note_wake_latency, start_timer, stop_timer, IsrTarget};

/// The largest `spawn` workload (embassy's task pools are sized at compile time).
const MAX_SPAWNED: usize = 1000;

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
async fn player(run: Run, finished: &'static Cell<u32>) {
    for _ in 0..run.n {
        embassy_futures::yield_now().await;
    }
    finished.set(finished.get() + 1);
    if finished.get() == 2 {
        run.finish(true);
    }
}

/// Embassy tasks return nothing and have no join handle: each child reports its value into a
/// shared cell, as an embassy application would through a channel.
#[embassy_executor::task(pool_size = MAX_SPAWNED)]
async fn child(run: Run, value: u32, results: &'static Cell<(u32, u64)>) {
    let (count, sum) = results.get();
    results.set((count + 1, sum + u64::from(value)));
    if count + 1 == run.n {
        let n = u64::from(run.n);
        run.finish(sum + u64::from(value) == n * (n - 1) / 2);
    }
}

#[embassy_executor::task]
async fn isr_waiter(run: Run) {
    start_timer(IsrTarget::Embassy, run.n);
    for _ in 0..run.n {
        ISR_SIGNAL.wait().await;
        note_wake_latency();
    }
    run.finish(stop_timer(run.n));
}

/// Spawns `workload`'s tasks and runs the executor; returns only if the workload is unknown
/// or cannot be spawned.
pub fn run(run: Run, workload: &[u8]) -> bool {
    let spawn = move |s: Spawner| {
        let ok = match workload {
            b"switch" => {
                let finished = leak(Cell::new(0));
                s.spawn(player(run, finished)).is_ok() && s.spawn(player(run, finished)).is_ok()
            }
            b"spawn" if run.n as usize <= MAX_SPAWNED => {
                let results = leak(Cell::new((0, 0)));
                (0..run.n).all(|i| s.spawn(child(run, i, results)).is_ok())
            }
            b"isr" => s.spawn(isr_waiter(run)).is_ok(),
            _ => false,
        };
        if !ok {
            run.finish(false);
        }
    };
    let executor: &'static mut Executor =
        alloc::boxed::Box::leak(alloc::boxed::Box::new(Executor::new()));
    executor.run(spawn)
}
