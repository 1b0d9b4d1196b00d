//! A rotary encoder decoded in its phases' interrupts: a fast turn, every step inside one
//! interrupt handler, is counted exactly and reported once it pauses.

use alloc::string::String;

use asyncio::gpio::{EmulatedPin, Encoder, PinSpec};
use asyncio::{dt_node, timeout_ms, Error};
use zephyr_testkit::{check_eq, Suite};

use crate::common::{fail, in_isr_after, run_case};

/// The knob's phases, moved together.
#[derive(Clone, Copy)]
struct Hand {
    a: EmulatedPin,
    b: EmulatedPin,
}

/// One step per phase change from 00, forward: 00 -> 01 -> 11 -> 10 -> 00 (A, B).
const FORWARD: [(bool, bool); 4] = [(false, true), (true, true), (true, false), (false, false)];
/// And back: 00 -> 10 -> 11 -> 01 -> 00.
const BACK: [(bool, bool); 4] = [(true, false), (true, true), (false, true), (false, false)];

impl Hand {
    fn phase(idx: u8) -> Result<EmulatedPin, String> {
        EmulatedPin::new(PinSpec::from_dt_by_idx(dt_node!(knob), idx).map_err(fail)?).map_err(fail)
    }

    /// `steps` steps (back if negative) from 00, in the caller's context.
    fn turn(&self, steps: i32) {
        let moves = if steps > 0 { &FORWARD } else { &BACK };
        for &(a, b) in moves.iter().cycle().take(steps.unsigned_abs() as usize) {
            self.a.set(a).unwrap();
            self.b.set(b).unwrap();
        }
    }
}

fn an_encoder_counts_every_step_of_a_fast_turn() -> Result<(), String> {
    run_case(async {
        let hand = Hand {
            a: Hand::phase(0)?,
            b: Hand::phase(1)?,
        };
        hand.a.set(false).map_err(fail)?;
        hand.b.set(false).map_err(fail)?;
        let mut knob = Encoder::from_dt(dt_node!(knob)).map_err(fail)?;
        // 24 steps forward (six detents) in one interrupt, then 8 back.
        let _forward = in_isr_after(10, hand, |h| h.turn(24));
        check_eq!(knob.next().await, Ok(24));
        let _back = in_isr_after(10, hand, |h| h.turn(-8));
        check_eq!(knob.next().await, Ok(-8));
        check_eq!(knob.value(), 16);
        // Forward and back again before the motion pauses: no net motion, no report.
        let _wiggle = in_isr_after(10, hand, |h| {
            h.turn(4);
            h.turn(-4);
        });
        check_eq!(timeout_ms(500, knob.next()).await, Err(Error::Timeout));
        check_eq!(knob.value(), 16);
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "an_encoder_counts_every_step_of_a_fast_turn",
        an_encoder_counts_every_step_of_a_fast_turn,
    );
}
