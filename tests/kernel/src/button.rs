//! A button's interrupt wakes a task: a gpio_emul edge driven from a `k_timer` expiry (true
//! interrupt context) runs the C GPIO callback in `button.c`, which sets this flag through the
//! generated `asyncio.h`.

use alloc::string::String;

use asyncio::c_api::AsyncioFlag;
use zephyr_testkit::{check_eq, Suite};

use crate::common::{check_isr_wake, run_case};

#[no_mangle]
pub static button_pressed: AsyncioFlag = AsyncioFlag::new();

extern "C" {
    fn button_init() -> i32;
    fn button_press_in(ticks: i32);
    static button_edge_ticks: i64;
    static button_edge_in_isr: bool;
}

fn a_gpio_edge_in_an_isr_wakes_a_flag_waiter() -> Result<(), String> {
    // SAFETY: called once, before any press.
    check_eq!(unsafe { button_init() }, 0);
    run_case(async {
        for press in 0..3 {
            let what = alloc::format!("press {press}");
            let arm = || {
                // SAFETY: a plain C call; the previous press has been handled.
                unsafe { button_press_in(10 + press) };
                Ok(())
            };
            // SAFETY: written by the ISR, which has run (it woke us) and will not run again.
            let record = || unsafe { (button_edge_ticks, button_edge_in_isr) };
            check_isr_wake(&what, &button_pressed, arm, record).await?;
        }
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "a_gpio_edge_in_an_isr_wakes_a_flag_waiter",
        a_gpio_edge_in_an_isr_wakes_a_flag_waiter,
    );
}
