//! 100 000 wake-ups (10 000 on QEMU) from an interrupt handler and from another thread while
//! the loop runs.
//!
//! A `ThreadSafeFlag` coalesces sets, so the promise is that the last set is seen: the task
//! waits until it observes the producer's final count, which it can only do if no wake-up
//! after a set was lost. A `KSem` counts: every give is taken, exactly once.

use alloc::string::String;
use zephyr::sync::atomic::{AtomicU32, Ordering};

use asyncio::kernel::KSem;
use asyncio::{wait_for_ms, Error, ThreadSafeFlag};
use zephyr::printkln;
use zephyr::thread::RunningThread;
use zephyr_testkit::{
    check, check_eq, spawn_thread, IsrTimer, Suite, CLOCK_STANDS_STILL_WHILE_CODE_RUNS,
};

use crate::common::run_case;

// Where the clock moves with every instruction (QEMU, hardware), a flood spends the board's
// time: a smaller one, spread thinner, so the interrupt leaves the loop time to run.
const TOTAL: u32 = if CLOCK_STANDS_STILL_WHILE_CODE_RUNS {
    100_000
} else {
    10_000
};
/// The ISR flood: a periodic timer interrupt (every tick), this many wake-ups per expiry.
const PER_ISR: u32 = if CLOCK_STANDS_STILL_WHILE_CODE_RUNS {
    1000
} else {
    10
};
/// Longer than any flood takes: reaching it means a wake-up was lost.
const LOST_AFTER_MS: u32 = if CLOCK_STANDS_STILL_WHILE_CODE_RUNS {
    1000
} else {
    10_000
};

static FLAG: ThreadSafeFlag = ThreadSafeFlag::new();
static SEM: KSem = KSem::new(0, u32::MAX);
static PRODUCED: AtomicU32 = AtomicU32::new(0);
static FLOOD: IsrTimer = IsrTimer::new();

fn set_flag() {
    PRODUCED.fetch_add(1, Ordering::Release);
    FLAG.set();
}

fn give_sem() {
    PRODUCED.fetch_add(1, Ordering::Release);
    SEM.give();
}

static ACTION: AtomicU32 = AtomicU32::new(0);

fn produce_once() {
    if ACTION.load(Ordering::Relaxed) == 0 {
        set_flag();
    } else {
        give_sem();
    }
}

unsafe extern "C" fn isr_burst(_: *mut zephyr::raw::k_timer) {
    for _ in 0..PER_ISR {
        produce_once();
    }
    if PRODUCED.load(Ordering::Relaxed) >= TOTAL {
        FLOOD.stop();
    }
}

fn thread_flood() {
    for _ in 0..TOTAL {
        produce_once();
    }
}

#[derive(Clone, Copy)]
enum Source {
    Isr,
    Thread,
}

/// Starts the flood; the producer thread, if any, for the case to join.
fn start_flood(source: Source, action: u32) -> Option<RunningThread> {
    PRODUCED.store(0, Ordering::Relaxed);
    ACTION.store(action, Ordering::Relaxed);
    match source {
        Source::Isr => {
            FLOOD.start_periodic(1, 1, isr_burst);
            None
        }
        // Below the loop's priority: every wake-up preempts the producer.
        Source::Thread => Some(spawn_thread(thread_flood, 5)),
    }
}

fn flag_sees_the_last_set(source: Source) -> Result<(), String> {
    run_case(async move {
        FLAG.clear();
        let producer = start_flood(source, 0);
        let mut wakes = 0u32;
        let observed = wait_for_ms(
            async move {
                loop {
                    FLAG.wait().await?;
                    wakes += 1;
                    let produced = PRODUCED.load(Ordering::Acquire);
                    if produced == TOTAL {
                        return Ok::<_, Error>((produced, wakes));
                    }
                }
            },
            LOST_AFTER_MS,
        )
        .await;
        if let Some(producer) = producer {
            check!(producer.join().is_ok());
        }
        let Ok((produced, wakes)) = observed else {
            return Err(alloc::format!(
                "the task stopped being woken at {} of {TOTAL} sets",
                PRODUCED.load(Ordering::Relaxed)
            ));
        };
        printkln!("{TOTAL} sets woke the task {wakes} times");
        check_eq!(produced, TOTAL);
        check!(wakes > 1, "the task never ran during the flood");
        Ok(())
    })
}

fn sem_counts_every_give(source: Source) -> Result<(), String> {
    run_case(async move {
        let producer = start_flood(source, 1);
        let taken = wait_for_ms(
            async {
                for _ in 0..TOTAL {
                    SEM.take().await?;
                }
                Ok::<_, Error>(())
            },
            LOST_AFTER_MS,
        )
        .await;
        if let Some(producer) = producer {
            check!(producer.join().is_ok());
        }
        check_eq!(taken, Ok(()));
        check_eq!(PRODUCED.load(Ordering::Relaxed), TOTAL);
        check_eq!(SEM.count(), 0);
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case("an_isr_flood_of_flag_sets_loses_no_wake_up", || {
        flag_sees_the_last_set(Source::Isr)
    });
    suite.case("a_thread_flood_of_flag_sets_loses_no_wake_up", || {
        flag_sees_the_last_set(Source::Thread)
    });
    suite.case("an_isr_flood_of_sem_gives_is_counted_exactly", || {
        sem_counts_every_give(Source::Isr)
    });
    suite.case("a_thread_flood_of_sem_gives_is_counted_exactly", || {
        sem_counts_every_give(Source::Thread)
    });
}
