//! A PWM LED on Zephyr's fake PWM controller: duty in `duty_u16` terms reaches the
//! controller as cycles, a fade steps on the loop's timer while other tasks run, and a later
//! fade takes over from an earlier one.

use alloc::string::String;
use alloc::vec::Vec;

use asyncio::pwm::{Pwm, FADE_STEP_MS};
use asyncio::{create_task, dt_node, get_event_loop, sleep_ms, Error};
use zephyr_testkit::{check, check_eq, Suite, TICK_SLACK};

use crate::common::{fail, run_case};

extern "C" {
    fn pwm_probe_calls() -> u32;
    fn pwm_probe_call(i: u32, period: *mut u32, pulse: *mut u32) -> i32;
    fn pwm_probe_reset();
}

/// The (period, pulse) in cycles of each call the controller received since the last reset.
fn controller_calls() -> Vec<(u32, u32)> {
    // SAFETY: plain C calls on the fake's recorder, from the only thread that uses it.
    let count = unsafe { pwm_probe_calls() };
    (0..count)
        .filter_map(|i| {
            let (mut period, mut pulse) = (0, 0);
            // SAFETY: as above; both out-pointers are valid.
            (unsafe { pwm_probe_call(i, &mut period, &mut pulse) } == 0).then_some((period, pulse))
        })
        .collect()
}

fn reset_controller() {
    // SAFETY: as for `controller_calls`.
    unsafe { pwm_probe_reset() };
}

/// The fake counts at 1 MHz; the LED's period is 1 ms.
const PERIOD_CYCLES: u32 = 1000;

fn a_pwm_duty_reaches_the_controller_as_cycles() -> Result<(), String> {
    reset_controller();
    let led = Pwm::from_dt(dt_node!(pwm_lamp)).map_err(fail)?;
    check_eq!(led.period_ns(), 1_000_000);
    led.set_duty_u16(u16::MAX / 2).map_err(fail)?;
    led.set_duty_u16(u16::MAX).map_err(fail)?;
    check_eq!(led.duty_u16(), u16::MAX);
    // Opening sets duty 0.
    check_eq!(
        controller_calls(),
        [
            (PERIOD_CYCLES, 0),
            (PERIOD_CYCLES, 499),
            (PERIOD_CYCLES, PERIOD_CYCLES)
        ]
    );
    check_eq!(led.set_period_ns(0), Err(Error::ValueError));
    check_eq!(
        Pwm::from_dt(dt_node!(lamp)).err(),
        Some(Error::NoDevice { label: "lamp" })
    );
    Ok(())
}

fn a_fade_steps_on_the_loop_timer_while_other_tasks_run() -> Result<(), String> {
    run_case(async {
        reset_controller();
        let led = Pwm::from_dt(dt_node!(pwm_lamp)).map_err(fail)?;
        let beats = create_task(async {
            let mut beats = 0u32;
            loop {
                sleep_ms(25).await?;
                beats += 1;
                if beats == 8 {
                    return Ok::<_, Error>(beats);
                }
            }
        });
        let start = get_event_loop().time_ms();
        led.fade_to(u16::MAX, 200).await.map_err(fail)?;
        // The fade reads its own start a few instructions later: on QEMU a tick may pass.
        let took = get_event_loop().time_ms() - start;
        check!(
            (200..=200 + TICK_SLACK).contains(&took),
            "the fade took {took} ms"
        );
        check_eq!(beats.await, Ok(8)); // the heartbeat kept its time meanwhile
        let pulses: Vec<u32> = controller_calls().iter().map(|&(_, pulse)| pulse).collect();
        // Duty 0 at opening, then one step every FADE_STEP_MS, rising to full.
        check_eq!(pulses.len() as u32, 1 + 200 / FADE_STEP_MS);
        check!(
            pulses.windows(2).all(|w| w[0] < w[1]),
            "not rising: {pulses:?}"
        );
        check_eq!(pulses.last(), Some(&PERIOD_CYCLES));
        Ok(())
    })
}

fn a_later_fade_takes_the_led_over() -> Result<(), String> {
    run_case(async {
        let led = Pwm::from_dt(dt_node!(pwm_lamp)).map_err(fail)?;
        let slow = create_task({
            let led = led.clone();
            async move { led.fade_to(u16::MAX, 1000).await }
        });
        sleep_ms(100).await.map_err(fail)?;
        let partway = led.duty_u16();
        check!(
            partway > 0 && partway < u16::MAX / 4,
            "after 100 ms of 1000: {partway}"
        );
        led.fade_to(0, 50).await.map_err(fail)?;
        // The slow fade noticed and stopped (with Ok) at its next step.
        check_eq!(slow.await, Ok(()));
        check_eq!(led.duty_u16(), 0);
        sleep_ms(100).await.map_err(fail)?;
        check_eq!(led.duty_u16(), 0);
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "a_pwm_duty_reaches_the_controller_as_cycles",
        a_pwm_duty_reaches_the_controller_as_cycles,
    );
    suite.case(
        "a_fade_steps_on_the_loop_timer_while_other_tasks_run",
        a_fade_steps_on_the_loop_timer_while_other_tasks_run,
    );
    suite.case(
        "a_later_fade_takes_the_led_over",
        a_later_fade_takes_the_led_over,
    );
}
