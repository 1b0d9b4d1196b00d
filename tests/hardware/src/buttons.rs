//! micropython-async's controls on a real pin interrupt: a Pushbutton and a Switch debounce
//! storms of contact bounce (hundreds of edges inside one interrupt) into exactly the gestures
//! and changes the semantics promise; cancelled waiters leave nothing armed.

use alloc::string::String;
use alloc::vec::Vec;

use asyncio::gpio::{armed, Edge, EmulatedPin, Encoder, InputPin};
use asyncio::{create_task, dt_node, sleep_ms, timeout_ms, Error, Press, Pushbutton, Switch};
use zephyr_testkit::{check, check_eq, Suite};

use crate::common::{fail, in_isr_after, run_case};

/// Bounces per change: a few hundred edges within one interrupt handler.
const BOUNCES: u32 = 300;

fn finger() -> Result<EmulatedPin, String> {
    let finger = EmulatedPin::from_dt(dt_node!(button0)).map_err(fail)?;
    finger.set(false).map_err(fail)?;
    Ok(finger)
}

fn a_bounce_storm_is_one_short_press() -> Result<(), String> {
    run_case(async {
        let finger = finger()?;
        let button = Pushbutton::new(InputPin::from_dt(dt_node!(button0)).map_err(fail)?);
        let _press = in_isr_after(10, finger, |f| f.bounce(true, BOUNCES).unwrap());
        let _release = in_isr_after(200, finger, |f| f.bounce(false, BOUNCES + 1).unwrap());
        check_eq!(button.next().await, Ok(Press::Short));
        // Nothing else: the storms were one press.
        check_eq!(timeout_ms(2000, button.next()).await, Err(Error::Timeout));
        check_eq!(button.missed(), 0);
        check!(!button.is_pressed(), "still pressed after the release");
        Ok(())
    })
}

fn long_presses_and_double_clicks_are_told_apart_through_bounce() -> Result<(), String> {
    run_case(async {
        let finger = finger()?;
        let button = Pushbutton::new(InputPin::from_dt(dt_node!(button0)).map_err(fail)?)
            .long_ms(1000)
            .double_ms(400);
        // Held 1500 ms; a click; a double click; each change a storm in the task's context.
        let script = [
            (true, 1500),
            (false, 1000),
            (true, 100),
            (false, 1000),
            (true, 100),
            (false, 100),
            (true, 100),
            (false, 1000),
        ];
        for (down, ms) in script {
            finger.bounce(down, BOUNCES).map_err(fail)?;
            sleep_ms(ms).await.map_err(fail)?;
        }
        let mut seen = Vec::new();
        loop {
            match timeout_ms(0, button.next()).await {
                Ok(gesture) => seen.push(gesture),
                Err(Error::Timeout) => break,
                Err(e) => return Err(fail(e)),
            }
        }
        check_eq!(seen, [Press::Long, Press::Short, Press::Double]);
        check_eq!(button.missed(), 0);
        Ok(())
    })
}

fn a_switch_reports_each_settled_change_once() -> Result<(), String> {
    run_case(async {
        let finger = finger()?;
        let mut switch = Switch::new(InputPin::from_dt(dt_node!(button0)).map_err(fail)?);
        check!(!switch.is_closed(), "closed at start");
        let _close = in_isr_after(10, finger, |f| f.bounce(true, BOUNCES).unwrap());
        let _open = in_isr_after(300, finger, |f| f.bounce(false, BOUNCES + 1).unwrap());
        check_eq!(switch.next().await, Ok(true));
        check_eq!(switch.next().await, Ok(false));
        check_eq!(timeout_ms(1000, switch.next()).await, Err(Error::Timeout));
        Ok(())
    })
}

fn cancelled_waiters_leave_no_interrupt_armed() -> Result<(), String> {
    run_case(async {
        let finger = finger()?;
        let baseline = armed();
        let pin_waiter = create_task(async {
            let mut pin = InputPin::from_dt(dt_node!(button0))?;
            pin.wait_for_edge(Edge::Rising).await
        });
        let button_waiter = create_task(async {
            let button = Pushbutton::new(InputPin::from_dt(dt_node!(button0))?);
            button.next().await.map(drop)
        });
        let knob_waiter = create_task(async {
            let mut knob = Encoder::from_dt(dt_node!(knob))?;
            knob.next().await.map(drop)
        });
        sleep_ms(10).await.map_err(fail)?;
        // A pin, a button's pin and an encoder's two phases.
        check_eq!(armed(), baseline + 4);
        for task in [pin_waiter, button_waiter, knob_waiter] {
            task.cancel();
            check_eq!(task.await, Err(Error::Cancelled));
        }
        check_eq!(armed(), baseline);
        // The pin's callback list is intact: a new waiter is woken by the next edge.
        let mut pin = InputPin::from_dt(dt_node!(button0)).map_err(fail)?;
        let _press = in_isr_after(10, finger, |f| f.set(true).unwrap());
        pin.wait_for_edge(Edge::Rising).await.map_err(fail)?;
        check_eq!(pin.edges(), (1, 0));
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "a_bounce_storm_is_one_short_press",
        a_bounce_storm_is_one_short_press,
    );
    suite.case(
        "long_presses_and_double_clicks_are_told_apart_through_bounce",
        long_presses_and_double_clicks_are_told_apart_through_bounce,
    );
    suite.case(
        "a_switch_reports_each_settled_change_once",
        a_switch_reports_each_settled_change_once,
    );
    suite.case(
        "cancelled_waiters_leave_no_interrupt_armed",
        cancelled_waiters_leave_no_interrupt_armed,
    );
}
