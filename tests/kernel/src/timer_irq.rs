//! A timer peripheral's interrupt wakes a task: the handler in `timer_irq.c` (the LM3S6965's
//! general-purpose timer on qemu_cortex_m3, a counter device elsewhere: native_sim's, the
//! nRF51's TIMER1 on qemu_cortex_m0) sets this flag
//! through the generated `asyncio.h`; and an urgent wait of that flag runs its task right
//! after the poll the interrupt arrived in, ahead of the round's other ready tasks.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::sync::atomic::{AtomicBool, Ordering};

use asyncio::c_api::AsyncioFlag;
use asyncio::{create_task, urgent, yield_now, Error};
use zephyr::raw::k_busy_wait;
use zephyr_testkit::{check_eq, Suite};

use crate::common::{check_isr_wake, run_case};

#[no_mangle]
pub static timer_fired: AsyncioFlag = AsyncioFlag::new();

extern "C" {
    fn timer_irq_init() -> i32;
    fn timer_irq_start(us: u32) -> i32;
    static timer_fired_ticks: i64;
    static timer_fired_in_isr: bool;
    static timer_fired_irq: i32;
    static timer_irq_line: i32;
}

/// Sets the timer up, once for the suite's cases.
fn init_once() -> Result<(), String> {
    static DONE: AtomicBool = AtomicBool::new(false);
    // Load and store: Armv6-M has no atomic swap (the cases run on one thread).
    if !DONE.load(Ordering::Relaxed) {
        DONE.store(true, Ordering::Relaxed);
        // SAFETY: called once, before the timer is started.
        check_eq!(unsafe { timer_irq_init() }, 0);
    }
    Ok(())
}

fn a_timer_peripheral_interrupt_wakes_a_flag_waiter() -> Result<(), String> {
    init_once()?;
    run_case(async {
        for shot in 0..3u32 {
            let what = alloc::format!("shot {shot}");
            let arm = || {
                // SAFETY: a plain C call; the previous shot has fired.
                check_eq!(unsafe { timer_irq_start(5_000 + 1_000 * shot) }, 0);
                Ok(())
            };
            // SAFETY: written by the handler, which has run (it woke us) and will not run again.
            let record = || unsafe { (timer_fired_ticks, timer_fired_in_isr) };
            check_isr_wake(&what, &timer_fired, arm, record).await?;
            // The timer's own interrupt line, not the system clock's (on Arm, where it is known).
            // SAFETY: as above.
            let (irq, line) = unsafe { (timer_fired_irq, timer_irq_line) };
            check_eq!(irq, line);
        }
        Ok(())
    })
}

/// Three tasks each hold the loop for 3 ms; the interrupt arrives 1 ms into the first one's
/// poll. A plain wait of the flag runs its task after the round (behind all three), an urgent
/// one right after the first.
fn an_urgent_interrupt_wake_runs_ahead_of_the_ready_tasks() -> Result<(), String> {
    init_once()?;
    run_case(async {
        for marked in [false, true] {
            let order: Rc<RefCell<Vec<&str>>> = Rc::new(RefCell::new(Vec::new()));
            let o = order.clone();
            let handler = create_task(async move {
                if marked {
                    urgent(timer_fired.wait()).await?;
                } else {
                    timer_fired.wait().await?;
                }
                o.borrow_mut().push("handler");
                Ok::<_, Error>(())
            });
            yield_now().await.map_err(|e| alloc::format!("{e}"))?; // the handler waits
                                                                   // SAFETY: a plain C call; no shot is pending.
            check_eq!(unsafe { timer_irq_start(1_000) }, 0);
            let busy: Vec<_> = ["a", "b", "c"]
                .into_iter()
                .map(|name| {
                    let o = order.clone();
                    create_task(async move {
                        // SAFETY: a plain busy wait; interrupts stay enabled.
                        unsafe { k_busy_wait(3_000) };
                        o.borrow_mut().push(name);
                        Ok::<_, Error>(())
                    })
                })
                .collect();
            for t in busy {
                t.await.map_err(|e| alloc::format!("{e}"))?;
            }
            handler.await.map_err(|e| alloc::format!("{e}"))?;
            let expected = if marked {
                ["a", "handler", "b", "c"]
            } else {
                ["a", "b", "c", "handler"]
            };
            check_eq!(*order.borrow(), expected);
        }
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "a_timer_peripheral_interrupt_wakes_a_flag_waiter",
        a_timer_peripheral_interrupt_wakes_a_flag_waiter,
    );
    suite.case(
        "an_urgent_interrupt_wake_runs_ahead_of_the_ready_tasks",
        an_urgent_interrupt_wake_runs_ahead_of_the_ready_tasks,
    );
}
