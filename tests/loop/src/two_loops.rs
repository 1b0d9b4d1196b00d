//! Two loops at once: the application's loop on the main thread and a control loop on a
//! thread of higher priority, each with its timers, a `ThreadSafeFlag` and a `k_sem` that one
//! interrupt handler feeds. Each waits in its own `k_poll`: an ISR's wake reaches the loop its
//! waiter belongs to, and neither loop ever wakes for nothing.

use alloc::string::String;
// 32-bit counters: Cortex-M3 has no 64-bit atomics.
use zephyr::sync::atomic::{AtomicU32, Ordering};

use asyncio::kernel::KSem;
use asyncio::{create_task, get_event_loop, run, sleep_ms, Error, LoopStats, ThreadSafeFlag};
use zephyr_testkit::{check, check_eq, IsrTimer, Suite, LOOP_STACK_SIZE};

/// Wake-ups the ISR hands each loop, per source (flag and semaphore).
const WAKES: u32 = 10;

/// One loop's sources, what it has taken from them, and its counters at the end.
struct Side {
    flag: ThreadSafeFlag,
    sem: KSem,
    /// Flag waits and semaphore takes completed by the loop's tasks.
    flag_seen: AtomicU32,
    sem_seen: AtomicU32,
    /// Sets and gives the ISR made.
    flag_sets: AtomicU32,
    sem_gives: AtomicU32,
    idle_wakeups: AtomicU32,
    notifies: AtomicU32,
    timers_fired: AtomicU32,
}

impl Side {
    const fn new() -> Self {
        Side {
            flag: ThreadSafeFlag::new(),
            sem: KSem::new(0, 1),
            flag_seen: AtomicU32::new(0),
            sem_seen: AtomicU32::new(0),
            flag_sets: AtomicU32::new(0),
            sem_gives: AtomicU32::new(0),
            idle_wakeups: AtomicU32::new(0),
            notifies: AtomicU32::new(0),
            timers_fired: AtomicU32::new(0),
        }
    }

    /// In the ISR: one more set and one more give, each only once the last was taken (a flag
    /// keeps one set, a binary semaphore one give).
    fn feed(&'static self) {
        let sets = self.flag_sets.load(Ordering::Relaxed);
        if sets < WAKES && self.flag_seen.load(Ordering::Acquire) == sets {
            self.flag_sets.store(sets + 1, Ordering::Relaxed);
            self.flag.set();
        }
        let gives = self.sem_gives.load(Ordering::Relaxed);
        if gives < WAKES && self.sem_seen.load(Ordering::Acquire) == gives {
            self.sem_gives.store(gives + 1, Ordering::Relaxed);
            self.sem.give();
        }
    }

    fn fed(&self) -> bool {
        self.flag_sets.load(Ordering::Relaxed) == WAKES
            && self.sem_gives.load(Ordering::Relaxed) == WAKES
    }

    /// The loop's work: a periodic timer task and the two waits, until every wake was taken.
    async fn work(&'static self, period_ms: u32) -> Result<(), Error> {
        let timer = create_task(async move {
            for _ in 0..20 {
                sleep_ms(period_ms).await?;
            }
            Ok::<_, Error>(())
        });
        let flag = create_task(async move {
            for _ in 0..WAKES {
                self.flag.wait().await?;
                self.flag_seen.fetch_add(1, Ordering::Release);
            }
            Ok::<_, Error>(())
        });
        for _ in 0..WAKES {
            self.sem.take().await?;
            self.sem_seen.fetch_add(1, Ordering::Release);
        }
        flag.await?;
        timer.await
    }

    /// Keeps what the loop's counters gained from `before` to `after`.
    fn record(&self, before: LoopStats, after: LoopStats) {
        let idle = (after.idle_wakeups - before.idle_wakeups) as u32;
        self.idle_wakeups.store(idle, Ordering::Relaxed);
        let notifies = after.notifies - before.notifies;
        self.notifies.store(notifies, Ordering::Relaxed);
        let timers = (after.timers_fired - before.timers_fired) as u32;
        self.timers_fired.store(timers, Ordering::Relaxed);
    }
}

static APP: Side = Side::new();
static CONTROL: Side = Side::new();
static FEEDER: IsrTimer = IsrTimer::new();
/// Given by the control loop's thread when its loop has finished.
static CONTROL_DONE: KSem = KSem::new(0, 1);

unsafe extern "C" fn feed_both(_: *mut zephyr::raw::k_timer) {
    APP.feed();
    CONTROL.feed();
    if APP.fed() && CONTROL.fed() {
        FEEDER.stop();
    }
}

/// The control loop's thread.
#[zephyr::thread(stack_size = LOOP_STACK_SIZE)]
fn control_thread() {
    // This thread's own loop, on a platform (and k_poll) of its own.
    let before = get_event_loop().stats();
    let out = run(CONTROL.work(3));
    CONTROL.record(before, get_event_loop().stats());
    if !matches!(out, Ok(Ok(()))) {
        zephyr::printk!("control loop ended with {:?}\n", out);
    }
    CONTROL_DONE.give();
}

fn two_loops_on_two_threads_wake_only_for_their_own_work() -> Result<(), String> {
    let before = get_event_loop().stats();
    let out = run(async {
        let app_loop = get_event_loop().handle();
        let control = control_thread();
        // Higher priority than main (0): a cooperative control thread.
        control.set_priority(-1);
        let _control = control.start();
        FEEDER.start_periodic(2, 2, feed_both);
        APP.work(5).await?;
        CONTROL_DONE.take().await?;
        // Two threads, two loops.
        Ok::<_, Error>(asyncio::LoopHandle::all().any(|lp| lp != app_loop))
    });
    APP.record(before, get_event_loop().stats());
    check_eq!(out, Ok(Ok(true)));
    for (name, side) in [("app", &APP), ("control", &CONTROL)] {
        check_eq!(side.flag_seen.load(Ordering::Relaxed), WAKES);
        check_eq!(side.sem_seen.load(Ordering::Relaxed), WAKES);
        check_eq!(side.timers_fired.load(Ordering::Relaxed), 20);
        // The ISR's wakes raised this loop's own signal...
        check!(
            side.notifies.load(Ordering::Relaxed) > 0,
            "{name}: never notified"
        );
        // ...and no wake meant for the other loop ever woke it.
        check_eq!(side.idle_wakeups.load(Ordering::Relaxed), 0);
    }
    Ok(())
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "two_loops_on_two_threads_wake_only_for_their_own_work",
        two_loops_on_two_threads_wake_only_for_their_own_work,
    );
}
