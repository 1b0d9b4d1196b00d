//! A timer peripheral's interrupt wakes a task: the handler in `timer_irq.c` (the LM3S6965's
//! general-purpose timer on qemu_cortex_m3, a counter device elsewhere: native_sim's, the
//! nRF51's TIMER1 on qemu_cortex_m0) sets this flag
//! through the generated `asyncio.h`.

use alloc::string::String;

use asyncio::c_api::AsyncioFlag;
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

fn a_timer_peripheral_interrupt_wakes_a_flag_waiter() -> Result<(), String> {
    // SAFETY: called once, before the timer is started.
    check_eq!(unsafe { timer_irq_init() }, 0);
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

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "a_timer_peripheral_interrupt_wakes_a_flag_waiter",
        a_timer_peripheral_interrupt_wakes_a_flag_waiter,
    );
}
