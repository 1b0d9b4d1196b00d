//! [`Pwm`]: a PWM channel of the devicetree, its duty in `duty_u16` terms.

use alloc::rc::Rc;
use core::cell::Cell;

use asyncio_core::{Error, Result};
use zephyr_asyncio_sys as sys;

use crate::DtNode;

/// A PWM channel: the first entry of a devicetree node's `pwms` (controller, channel, period,
/// polarity). It starts at duty 0 (off). Clones are the same channel: a task may fade it
/// while another reads its duty; the last [`set_duty_u16`](Pwm::set_duty_u16) or
/// [`fade_to`](Pwm::fade_to) wins (an older fade stops where it is).
///
/// ```no_run
/// use asyncio::pwm::Pwm;
///
/// fn half_bright() -> asyncio::Result<Pwm> {
///     // `pwm_led0: pwm_led_0 { pwms = <&pwm0 0 PWM_MSEC(1) PWM_POLARITY_NORMAL>; };`
///     let led = Pwm::from_dt(asyncio::dt_node!(pwm_led0))?;
///     led.set_duty_u16(u16::MAX / 2)?;
///     Ok(led)
/// }
/// ```
#[derive(Clone)]
pub struct Pwm {
    pub(crate) state: Rc<State>,
}

pub(crate) struct State {
    spec: sys::pwm_dt_spec,
    label: &'static str,
    period_ns: Cell<u32>,
    duty: Cell<u16>,
    /// Bumped by every new fade or set: an older fade sees it and stops.
    pub(crate) generation: Cell<u32>,
}

impl Pwm {
    /// The channel of devicetree node `node`, set to duty 0. `Err(Error::NoDevice)` naming
    /// the node if it has no `pwms` or it or its controller is disabled,
    /// `Err(Error::NotReady)` if the controller did not initialise.
    ///
    /// ```no_run
    /// use asyncio::pwm::Pwm;
    ///
    /// fn backlight() -> asyncio::Result<Pwm> {
    ///     Pwm::from_dt(asyncio::dt_node!(pwm_led0)) // off until a duty is set
    /// }
    /// ```
    pub fn from_dt(node: DtNode) -> Result<Pwm> {
        let label = node.label();
        let ord = u32::try_from(node.ord()).map_err(|_| Error::NoDevice { label })?;
        let mut entry = sys::asyncio_dt_pwm::default();
        // SAFETY: `entry` is valid for a write.
        if unsafe { sys::asyncio_dt_find_pwm(ord, &mut entry) } != 0 {
            return Err(Error::NoDevice { label });
        }
        // SAFETY: a spec of the devicetree, whose device lives for the whole program.
        if !unsafe { sys::pwm_is_ready_dt(&entry.spec) } {
            return Err(Error::NotReady { label });
        }
        let pwm = Pwm {
            state: Rc::new(State {
                spec: entry.spec,
                label,
                period_ns: Cell::new(entry.spec.period),
                duty: Cell::new(0),
                generation: Cell::new(0),
            }),
        };
        pwm.write(0)?;
        Ok(pwm)
    }

    /// Its node label.
    pub fn label(&self) -> &'static str {
        self.state.label
    }

    /// The duty now: 0 is off, 65535 fully on (MicroPython's `duty_u16()`).
    pub fn duty_u16(&self) -> u16 {
        self.state.duty.get()
    }

    /// Sets the duty (0 off, 65535 fully on), stopping a fade in progress.
    ///
    /// ```no_run
    /// use asyncio::pwm::Pwm;
    ///
    /// fn dim(led: &Pwm) -> asyncio::Result<()> {
    ///     led.set_duty_u16(u16::MAX / 10) // 10 %
    /// }
    /// ```
    pub fn set_duty_u16(&self, duty: u16) -> Result<()> {
        self.supersede();
        self.write(duty)
    }

    /// The period, in nanoseconds (the devicetree's until changed).
    pub fn period_ns(&self) -> u32 {
        self.state.period_ns.get()
    }

    /// Changes the period (MicroPython's `freq()`, as 1e9 / hz), keeping the duty.
    ///
    /// ```no_run
    /// use asyncio::pwm::Pwm;
    ///
    /// fn servo_rate(servo: &Pwm) -> asyncio::Result<()> {
    ///     servo.set_period_ns(20_000_000) // 50 Hz; the duty keeps its share of the period
    /// }
    /// ```
    pub fn set_period_ns(&self, period_ns: u32) -> Result<()> {
        if period_ns == 0 {
            return Err(Error::ValueError);
        }
        let old = self.state.period_ns.replace(period_ns);
        self.write(self.duty_u16())
            .inspect_err(|_| self.state.period_ns.set(old))
    }

    /// Starts a new owner of the duty: an older fade stops at its next step. Returns the
    /// generation the caller owns.
    pub(crate) fn supersede(&self) -> u32 {
        let generation = self.state.generation.get().wrapping_add(1);
        self.state.generation.set(generation);
        generation
    }

    /// Drives the channel at `duty`.
    pub(crate) fn write(&self, duty: u16) -> Result<()> {
        let period = self.period_ns();
        let pulse = (u64::from(period) * u64::from(duty) / u64::from(u16::MAX)) as u32;
        let spec = &self.state.spec;
        // SAFETY: a ready PWM channel of the devicetree.
        match unsafe { sys::pwm_set_dt(spec, period, pulse) } {
            0 => {
                self.state.duty.set(duty);
                Ok(())
            }
            errno => Err(Error::Os(errno)),
        }
    }
}
