//! [`EmulatedPin`]: a pin of Zephyr's GPIO emulator (gpio_emul, native_sim's `gpio0`), moved
//! and read by software: how tests and native_sim samples press their buttons and see their
//! LEDs.

use asyncio_core::{Error, Result};
use zephyr_asyncio_sys as sys;

use super::spec::PinSpec;
use crate::DtNode;

/// The devicetree flag `GPIO_ACTIVE_LOW`.
const ACTIVE_LOW: u16 = 1;

/// A pin of an emulated GPIO controller, in logic terms: [`set`](Self::set) drives its input
/// (`set(true)` presses an active-low button by pulling its pin low), [`output`](Self::output)
/// reads what the application drives it to. Safe from interrupt context: the emulator fires
/// the pin's callbacks right inside the call, in the caller's context, as a real controller
/// would from its interrupt.
///
/// ```no_run
/// use asyncio::gpio::EmulatedPin;
///
/// fn press_the_button() -> asyncio::Result<()> {
///     let finger = EmulatedPin::from_dt(asyncio::dt_node!(button0))?;
///     finger.bounce(true, 20) // 20 bounces, then pressed
/// }
/// ```
#[derive(Clone, Copy)]
pub struct EmulatedPin {
    spec: PinSpec,
}

impl EmulatedPin {
    /// The input of `spec`, which must be on a gpio_emul controller (`Err(Error::NoDevice)`
    /// naming its label otherwise).
    ///
    /// ```no_run
    /// use asyncio::gpio::{EmulatedPin, PinSpec};
    ///
    /// fn finger() -> asyncio::Result<EmulatedPin> {
    ///     EmulatedPin::new(PinSpec::from_dt(asyncio::dt_node!(button0))?) // NoDevice on real GPIO
    /// }
    /// ```
    pub fn new(spec: PinSpec) -> Result<EmulatedPin> {
        if !spec.emulated {
            return Err(Error::NoDevice { label: spec.label });
        }
        Ok(EmulatedPin { spec })
    }

    /// The emulated pin of devicetree node `node` ([`PinSpec::from_dt`]).
    ///
    /// ```no_run
    /// use asyncio::gpio::EmulatedPin;
    ///
    /// fn press() -> asyncio::Result<()> {
    ///     EmulatedPin::from_dt(asyncio::dt_node!(button0))?.set(true)
    /// }
    /// ```
    pub fn from_dt(node: DtNode) -> Result<EmulatedPin> {
        EmulatedPin::new(PinSpec::from_dt(node)?)
    }

    fn active_low(&self) -> bool {
        self.spec.dt_flags & ACTIVE_LOW != 0
    }

    /// Drives the pin's input to the active level (`true`) or the inactive one.
    ///
    /// ```no_run
    /// use asyncio::gpio::EmulatedPin;
    ///
    /// async fn click(finger: EmulatedPin) -> asyncio::Result<()> {
    ///     finger.set(true)?; // the pin's interrupt runs inside this call
    ///     asyncio::sleep_ms(120).await?;
    ///     finger.set(false)
    /// }
    /// ```
    pub fn set(&self, active: bool) -> Result<()> {
        let level = i32::from(active != self.active_low());
        // SAFETY: a pin of a ready gpio_emul controller (checked by `new`).
        match unsafe { sys::gpio_emul_input_set(self.spec.port(), self.spec.pin, level) } {
            0 => Ok(()),
            errno => Err(Error::Os(errno)),
        }
    }

    /// Contact bounce: `bounces` edges alternating around `to`, then `to`, all at once.
    ///
    /// ```no_run
    /// use asyncio::gpio::EmulatedPin;
    ///
    /// fn sloppy_release(finger: EmulatedPin) -> asyncio::Result<()> {
    ///     finger.bounce(false, 7) // seven edges, then released
    /// }
    /// ```
    pub fn bounce(&self, to: bool, bounces: u32) -> Result<()> {
        for i in 0..bounces {
            self.set(if i % 2 == 0 { to } else { !to })?;
        }
        self.set(to)
    }

    /// The level an output pin is driven to: `true` is active (a lit LED).
    ///
    /// ```no_run
    /// use asyncio::gpio::{EmulatedPin, OutputPin};
    ///
    /// fn led_follows() -> asyncio::Result<bool> {
    ///     let led = OutputPin::from_dt(asyncio::dt_node!(led0))?;
    ///     led.set(true)?;
    ///     EmulatedPin::from_dt(asyncio::dt_node!(led0))?.output() // Ok(true)
    /// }
    /// ```
    pub fn output(&self) -> Result<bool> {
        // SAFETY: a pin of a ready gpio_emul controller (checked by `new`).
        match unsafe { sys::gpio_emul_output_get(self.spec.port(), self.spec.pin) } {
            level if level >= 0 => Ok((level == 1) != self.active_low()),
            errno => Err(Error::Os(errno)),
        }
    }
}
