//! A button's interrupt wakes a task: a gpio_emul edge driven from a `k_timer` expiry (true
//! interrupt context) runs the C GPIO callback in `button.c`, which sets this flag through the
//! generated `asyncio.h`.

use alloc::string::String;

use asyncio::c_api::AsyncioFlag;
use zephyr::printkln;
use zephyr_testkit::{check, check_eq, Suite, TICK_SLACK};

use crate::common::{now_ticks, run_case, stats};

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
            let before = stats();
            // SAFETY: a plain C call.
            unsafe { button_press_in(10 + press) };
            button_pressed.wait().await.map_err(|_| "cancelled")?;
            let woke_at = now_ticks() as i64;
            let after = stats();
            // SAFETY: written by the ISR, which has run (it woke us) and will not run again.
            let (edge_at, in_isr) = unsafe { (button_edge_ticks, button_edge_in_isr) };
            check!(in_isr, "the GPIO callback did not run in an ISR");
            let latency = woke_at - edge_at;
            printkln!("press {press}: wake-to-run latency {latency} ticks");
            check!(latency as u64 <= TICK_SLACK, "woke {latency} ticks late");
            // The ISR raised the loop's signal once; the loop had parked in between.
            check_eq!(after.notifies - before.notifies, 1);
            check!(after.parks > before.parks);
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
