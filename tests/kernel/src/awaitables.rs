//! Each kernel-object awaitable, four ways: made ready by another thread, by an interrupt
//! handler, timing out under `wait_for`, and cancelled while waiting. Then the poll set's
//! bound, and a notify-only wake that another waiter wins.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::future::Future;
use core::pin::Pin;
use core::ptr::NonNull;
use zephyr::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};

use asyncio::kernel::{pending_waits, KFifo, KMsgq, KPollSignal, KSem};
use asyncio::{create_task, sleep_ms, wait_for_ms, yield_now, Error, Result};
use zephyr::raw::k_is_in_isr;
use zephyr_testkit::{check, check_eq, spawn_thread, IsrTimer, Suite, TICK_SLACK};

use crate::common::{block_thread_ms, now_ticks, run_case, stats};

/// One kernel object under test.
pub struct Subject {
    pub name: &'static str,
    /// Makes the object ready, carrying `value`. Any context.
    ready: fn(u32),
    /// A task's await of the object: the value it received.
    wait: fn() -> Pin<Box<dyn Future<Output = Result<u32>>>>,
}

static SEM: KSem = KSem::new(0, 10);
/// A semaphore carries no value: the giver leaves it here.
static SEM_VALUE: AtomicU32 = AtomicU32::new(0);
static MSGQ: KMsgq<u32, 4> = KMsgq::new();
static SIGNAL: KPollSignal = KPollSignal::new();
static FIFO: KFifo = KFifo::new();

/// A FIFO item as Zephyr wants it: the first word is the kernel's link.
#[repr(C)]
struct Item {
    link: *mut c_void,
    value: u32,
}

struct Items(UnsafeCell<[Item; 4]>);
// SAFETY: an item is written by its producer before `put` and read by the task after `get`:
// the queue hands it over; the cases never have the same item queued twice.
unsafe impl Sync for Items {}
static ITEMS: Items = Items(UnsafeCell::new(
    [const {
        Item {
            link: core::ptr::null_mut(),
            value: 0,
        }
    }; 4],
));

fn put_item(value: u32) {
    // SAFETY: see `Items`; the slot chosen by `value` is not queued.
    unsafe {
        let item = &mut (*ITEMS.0.get())[value as usize % 4];
        item.value = value;
        FIFO.put(NonNull::from(item).cast());
    }
}

pub static SUBJECTS: [Subject; 4] = [
    Subject {
        name: "ksem",
        ready: |value| {
            SEM_VALUE.store(value, Ordering::Relaxed);
            SEM.give();
        },
        wait: || {
            Box::pin(async {
                SEM.take().await?;
                Ok(SEM_VALUE.load(Ordering::Relaxed))
            })
        },
    },
    Subject {
        name: "kmsgq",
        ready: |value| {
            MSGQ.put(value).expect("the queue has room");
        },
        wait: || Box::pin(MSGQ.get()),
    },
    Subject {
        name: "kfifo",
        ready: put_item,
        wait: || {
            Box::pin(async {
                let item = FIFO.get().await?;
                // SAFETY: only `Item`s are queued.
                Ok(unsafe { item.cast::<Item>().as_ref() }.value)
            })
        },
    },
    Subject {
        name: "kpollsignal",
        ready: |value| SIGNAL.raise(value as i32),
        wait: || Box::pin(async { SIGNAL.wait().await.map(|result| result as u32) }),
    },
];

/// The subject and value a thread or ISR delivers, and what it saw doing so.
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static VALUE: AtomicU32 = AtomicU32::new(0);
// 32 bits: Cortex-M3 has no 64-bit atomics, and the suite runs for far fewer ticks.
static READY_AT: AtomicU32 = AtomicU32::new(0);
static READY_IN_ISR: AtomicBool = AtomicBool::new(false);
static DELIVERY: IsrTimer = IsrTimer::new();

/// Ticks after the task starts waiting at which the thread or ISR makes the object ready.
const DELAY: i32 = 5;

fn deliver() {
    READY_AT.store(now_ticks() as u32, Ordering::Relaxed);
    // SAFETY: plain query.
    READY_IN_ISR.store(unsafe { k_is_in_isr() }, Ordering::Relaxed);
    (SUBJECTS[CURRENT.load(Ordering::Relaxed)].ready)(VALUE.load(Ordering::Relaxed));
}

unsafe extern "C" fn deliver_from_isr(_: *mut zephyr::raw::k_timer) {
    deliver();
}

#[derive(Clone, Copy, PartialEq)]
enum From {
    Thread,
    Isr,
}

fn woken(index: usize, from: From) -> Result<(), String> {
    let subject = &SUBJECTS[index];
    run_case(async move {
        let value = 1000 + index as u32;
        CURRENT.store(index, Ordering::Relaxed);
        VALUE.store(value, Ordering::Relaxed);
        let (start, before) = (now_ticks(), stats());
        let thread = match from {
            // Lower priority than the loop: it runs once the loop blocks in k_poll.
            From::Thread => Some(spawn_thread(
                || {
                    block_thread_ms(DELAY);
                    deliver();
                },
                5,
            )),
            From::Isr => {
                DELIVERY.start(DELAY as i64, deliver_from_isr);
                None
            }
        };
        let got = (subject.wait)().await;
        let woke_at = now_ticks();
        let after = stats();
        if let Some(thread) = thread {
            check!(thread.join().is_ok());
        }
        check_eq!(got, Ok(value));
        let ready_at = u64::from(READY_AT.load(Ordering::Relaxed));
        // The task really waited, in k_poll, and ran in the tick the object became ready (or the
        // next, where time moves while code runs).
        check!(
            ready_at - start >= DELAY as u64,
            "ready after {} ticks",
            ready_at - start
        );
        check!(
            woke_at - ready_at <= TICK_SLACK,
            "ran {} ticks after the object became ready",
            woke_at - ready_at
        );
        check!(after.parks > before.parks, "the loop never parked");
        check_eq!(READY_IN_ISR.load(Ordering::Relaxed), from == From::Isr);
        check_eq!(pending_waits(), 0);
        Ok(())
    })
}

fn times_out(index: usize) -> Result<(), String> {
    let subject = &SUBJECTS[index];
    run_case(async move {
        let start = now_ticks();
        check_eq!(wait_for_ms((subject.wait)(), 20).await, Err(Error::Timeout));
        let elapsed = now_ticks() - start;
        check!(
            (20..=20 + TICK_SLACK).contains(&elapsed),
            "timed out after {elapsed} ticks"
        );
        check_eq!(pending_waits(), 0);
        // Nothing was left behind: the next value goes to the next await, at once.
        (subject.ready)(7);
        let again = now_ticks();
        check_eq!((subject.wait)().await, Ok(7));
        check!(now_ticks() - again <= TICK_SLACK);
        Ok(())
    })
}

fn cancelled(index: usize) -> Result<(), String> {
    let subject = &SUBJECTS[index];
    run_case(async move {
        let waiter = create_task((subject.wait)());
        yield_now().await.map_err(|_| "cancelled")?;
        check_eq!(pending_waits(), 1);
        check!(waiter.cancel());
        check_eq!(waiter.await, Err(Error::Cancelled));
        check_eq!(pending_waits(), 0);
        // The cancelled await took nothing: the value goes to the next one.
        (subject.ready)(9);
        check_eq!((subject.wait)().await, Ok(9));
        Ok(())
    })
}

static GATE: KSem = KSem::new(0, 100);

fn the_poll_set_is_bounded_and_gives_slots_back() -> Result<(), String> {
    const SLOTS: usize = zephyr::kconfig::CONFIG_ASYNCIO_POLL_EVENTS as usize;
    run_case(async {
        for round in 0..2 {
            let waiters: Vec<_> = (0..SLOTS).map(|_| create_task(GATE.take())).collect();
            yield_now().await.map_err(|_| "cancelled")?;
            check_eq!(pending_waits(), SLOTS);
            // One more than the poll set holds: a clear error, and nothing taken.
            check_eq!(GATE.take().await, Err(Error::PoolFull));
            if round == 0 {
                waiters.iter().for_each(|w| {
                    w.cancel();
                });
                for w in waiters {
                    check_eq!(w.await, Err(Error::Cancelled));
                }
            } else {
                (0..SLOTS).for_each(|_| GATE.give());
                for w in waiters {
                    check_eq!(w.await, Ok(()));
                }
            }
            check_eq!(pending_waits(), 0);
        }
        check_eq!(GATE.count(), 0);
        Ok(())
    })
}

fn one_give_wakes_one_waiter_and_the_other_waits_on() -> Result<(), String> {
    run_case(async {
        let first = create_task(GATE.take());
        let second = create_task(GATE.take());
        yield_now().await.map_err(|_| "cancelled")?;
        GATE.give();
        // Both events report the count; one task takes it, the other re-arms and parks.
        let before = stats();
        sleep_ms(10).await.map_err(|_| "cancelled")?;
        let after = stats();
        check_eq!(first.done() as u8 + second.done() as u8, 1);
        check_eq!(pending_waits(), 1);
        check!(
            after.rounds - before.rounds <= 3,
            "the loop spun instead of parking: {before:?} -> {after:?}"
        );
        GATE.give();
        check_eq!(first.await, Ok(()));
        check_eq!(second.await, Ok(()));
        check_eq!(GATE.count(), 0);
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    for (index, subject) in SUBJECTS.iter().enumerate() {
        let name = |what: &str| String::leak(alloc::format!("{}_{what}", subject.name));
        suite.case(name("woken_by_a_thread"), || woken(index, From::Thread));
        suite.case(name("woken_by_an_isr"), || woken(index, From::Isr));
        suite.case(name("times_out_under_wait_for"), || times_out(index));
        suite.case(name("cancelled_while_waiting"), || cancelled(index));
    }
    suite.case(
        "the_poll_set_is_bounded_and_gives_slots_back",
        the_poll_set_is_bounded_and_gives_slots_back,
    );
    suite.case(
        "one_give_wakes_one_waiter_and_the_other_waits_on",
        one_give_wakes_one_waiter_and_the_other_waits_on,
    );
}
