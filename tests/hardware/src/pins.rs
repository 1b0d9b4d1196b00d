//! Input and output pins: an edge interrupt wakes the waiting task at once, a flood of them
//! loses no edge, levels, LEDs, and the errors for pins the devicetree does not offer.

use alloc::string::String;
use zephyr::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use asyncio::gpio::{armed, Edge, EmulatedPin, Encoder, InputPin, OutputPin};
use asyncio::{dt_node, Error};
use zephyr::printkln;
use zephyr_testkit::{check, check_eq, Suite, TICK_SLACK};

use crate::common::{fail, in_isr_after, now_ticks, run_case, stats};

/// When the pressing interrupt ran (the tick count's low 32 bits: Cortex-M3 has no 64-bit
/// atomics), and whether it was one.
static PRESSED_AT: AtomicU32 = AtomicU32::new(0);
static PRESSED_IN_ISR: AtomicBool = AtomicBool::new(false);

fn press_in_isr(finger: &EmulatedPin) {
    PRESSED_AT.store(now_ticks() as u32, Ordering::Relaxed);
    // SAFETY: a plain query of the kernel.
    PRESSED_IN_ISR.store(unsafe { zephyr::raw::k_is_in_isr() }, Ordering::Relaxed);
    finger.set(true).unwrap();
}

fn an_edge_interrupt_wakes_the_waiting_task_at_once() -> Result<(), String> {
    run_case(async {
        let mut pin = InputPin::from_dt(dt_node!(button0)).map_err(fail)?;
        let finger = EmulatedPin::from_dt(dt_node!(button0)).map_err(fail)?;
        for press in 0..3 {
            finger.set(false).map_err(fail)?;
            let before = stats();
            let _timer = in_isr_after(10 + press, finger, press_in_isr);
            pin.wait_for_edge(Edge::Rising).await.map_err(fail)?;
            let after = stats();
            check!(
                PRESSED_IN_ISR.load(Ordering::Relaxed),
                "the press did not run in an ISR"
            );
            let latency = (now_ticks() as u32).wrapping_sub(PRESSED_AT.load(Ordering::Relaxed));
            printkln!("press {press}: edge-to-task latency {latency} ticks");
            check!(
                u64::from(latency) <= TICK_SLACK,
                "woke {latency} ticks after the edge"
            );
            // The interrupt woke the parked loop once; nothing polled the pin meanwhile.
            check_eq!(after.notifies - before.notifies, 1);
            check!(after.parks > before.parks, "the loop never parked");
            check!(pin.is_high(), "the pin does not read pressed");
        }
        Ok(())
    })
}

/// One interrupt handler: 500 presses and releases, as fast as the emulator takes them.
fn flood(finger: &EmulatedPin) {
    for _ in 0..500 {
        finger.set(true).unwrap();
        finger.set(false).unwrap();
    }
}

fn an_interrupt_flood_on_a_pin_loses_no_edge() -> Result<(), String> {
    run_case(async {
        let mut pin = InputPin::from_dt(dt_node!(button0)).map_err(fail)?;
        let finger = EmulatedPin::from_dt(dt_node!(button0)).map_err(fail)?;
        finger.set(false).map_err(fail)?;
        let (rising, falling) = pin.edges();
        let before = stats();
        let _timer = in_isr_after(5, finger, flood);
        pin.wait_for_edge(Edge::Any).await.map_err(fail)?;
        let after = stats();
        check_eq!(pin.edges(), (rising + 500, falling + 500));
        // A thousand edges, one wake-up of the loop.
        check_eq!(after.notifies - before.notifies, 1);
        Ok(())
    })
}

fn a_level_wait_returns_at_once_when_the_level_is_there() -> Result<(), String> {
    run_case(async {
        let mut pin = InputPin::from_dt(dt_node!(button0)).map_err(fail)?;
        let finger = EmulatedPin::from_dt(dt_node!(button0)).map_err(fail)?;
        finger.set(true).map_err(fail)?;
        let before = stats();
        pin.wait_for_high().await.map_err(fail)?;
        check_eq!(stats().parks, before.parks);
        let start = now_ticks();
        let _timer = in_isr_after(20, finger, |f| f.set(false).unwrap());
        pin.wait_for_low().await.map_err(fail)?;
        let waited = (now_ticks() - start) as u64;
        check!(
            (20..=21 + TICK_SLACK).contains(&waited),
            "woke after {waited} ticks, not 20"
        );
        check!(!pin.is_high(), "woke while still high");
        Ok(())
    })
}

fn an_output_pin_drives_its_led_in_logic_terms() -> Result<(), String> {
    // `lamp` is wired active-low: lit is a low pin, which Zephyr's logic levels hide.
    let led = OutputPin::from_dt(dt_node!(lamp)).map_err(fail)?;
    let probe = EmulatedPin::from_dt(dt_node!(lamp)).map_err(fail)?;
    check_eq!(probe.output(), Ok(false));
    led.set(true).map_err(fail)?;
    check_eq!(probe.output(), Ok(true));
    check!(led.is_set(), "is_set after set(true)");
    led.toggle().map_err(fail)?;
    check_eq!(probe.output(), Ok(false));
    led.toggle().map_err(fail)?;
    check_eq!(probe.output(), Ok(true));
    Ok(())
}

fn a_missing_disabled_or_incapable_pin_is_an_error_naming_it() -> Result<(), String> {
    let baseline = armed();
    let disabled = InputPin::from_dt(dt_node!(button_off)).err();
    check_eq!(
        disabled,
        Some(Error::NoDevice {
            label: "button_off"
        })
    );
    let message = alloc::format!("{}", disabled.unwrap());
    check!(
        message.contains("'button_off'"),
        "the message does not name the node: {message}"
    );
    // A controller has no `gpios` of its own.
    check_eq!(
        OutputPin::from_dt(dt_node!(emul)).err(),
        Some(Error::NoDevice { label: "emul" })
    );
    // A button is no encoder: it has no second pin.
    check_eq!(
        Encoder::from_dt(dt_node!(button0)).err(),
        Some(Error::NoDevice { label: "button0" })
    );
    // `emul_rising` interrupts on rising edges only; a pin needs both: the driver's error
    // (-ENOTSUP, whose number depends on the C library).
    let incapable = InputPin::from_dt(dt_node!(button_rising_only)).err();
    check!(
        matches!(incapable, Some(Error::Os(errno)) if errno < 0),
        "a rising-only controller gave {incapable:?}"
    );
    check_eq!(armed(), baseline);
    // The same pin as an output needs no interrupt.
    check!(
        OutputPin::from_dt(dt_node!(button_rising_only)).is_ok(),
        "an output on a rising-only controller"
    );
    Ok(())
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "an_edge_interrupt_wakes_the_waiting_task_at_once",
        an_edge_interrupt_wakes_the_waiting_task_at_once,
    );
    suite.case(
        "an_interrupt_flood_on_a_pin_loses_no_edge",
        an_interrupt_flood_on_a_pin_loses_no_edge,
    );
    suite.case(
        "a_level_wait_returns_at_once_when_the_level_is_there",
        a_level_wait_returns_at_once_when_the_level_is_there,
    );
    suite.case(
        "an_output_pin_drives_its_led_in_logic_terms",
        an_output_pin_drives_its_led_in_logic_terms,
    );
    suite.case(
        "a_missing_disabled_or_incapable_pin_is_an_error_naming_it",
        a_missing_disabled_or_incapable_pin_is_an_error_naming_it,
    );
}
