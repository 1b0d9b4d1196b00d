//! [`OutputPin`]: a pin a task drives.

use core::cell::Cell;

use asyncio_core::{Error, Result};
use zephyr::raw::{
    gpio_pin_set_dt, ZR_GPIO_OUTPUT, ZR_GPIO_OUTPUT_INIT_LOGICAL, ZR_GPIO_OUTPUT_INIT_LOW,
};

use super::spec::PinSpec;
use crate::DtNode;

/// An output pin, starting inactive, driven in logic terms: `set(true)` lights an LED whatever
/// its wiring (the devicetree's `GPIO_ACTIVE_LOW` is applied by Zephyr).
///
/// ```no_run
/// use asyncio::gpio::OutputPin;
///
/// async fn blink() -> asyncio::Result<()> {
///     let led = OutputPin::from_dt(asyncio::dt_node!(led0))?; // a gpio-leds child's node label
///     loop {
///         led.toggle()?;
///         asyncio::sleep_ms(500).await?;
///     }
/// }
/// ```
pub struct OutputPin {
    spec: PinSpec,
    level: Cell<bool>,
}

impl OutputPin {
    /// `spec` as an output, inactive.
    ///
    /// ```no_run
    /// use asyncio::gpio::{OutputPin, PinSpec};
    ///
    /// fn relay() -> asyncio::Result<OutputPin> {
    ///     OutputPin::new(PinSpec::from_dt(asyncio::dt_node!(led0))?) // off until set
    /// }
    /// ```
    pub fn new(spec: PinSpec) -> Result<OutputPin> {
        spec.configure(ZR_GPIO_OUTPUT | ZR_GPIO_OUTPUT_INIT_LOW | ZR_GPIO_OUTPUT_INIT_LOGICAL)?;
        Ok(OutputPin {
            spec,
            level: Cell::new(false),
        })
    }

    /// The output pin of devicetree node `node` ([`PinSpec::from_dt`]).
    ///
    /// ```no_run
    /// use asyncio::gpio::OutputPin;
    ///
    /// fn status_led() -> asyncio::Result<OutputPin> {
    ///     OutputPin::from_dt(asyncio::dt_node!(led0)) // `led0: led_0 { gpios = ...; };`
    /// }
    /// ```
    pub fn from_dt(node: DtNode) -> Result<OutputPin> {
        OutputPin::new(PinSpec::from_dt(node)?)
    }

    /// Drives the pin active (`true`) or inactive.
    ///
    /// ```no_run
    /// use asyncio::gpio::OutputPin;
    ///
    /// async fn flash(led: &OutputPin) -> asyncio::Result<()> {
    ///     led.set(true)?; // lit, whatever the wiring
    ///     asyncio::sleep_ms(50).await?;
    ///     led.set(false)
    /// }
    /// ```
    pub fn set(&self, active: bool) -> Result<()> {
        // SAFETY: a configured output pin of a ready controller.
        match unsafe { gpio_pin_set_dt(&self.spec.raw(), active.into()) } {
            0 => {
                self.level.set(active);
                Ok(())
            }
            errno => Err(Error::Os(errno)),
        }
    }

    /// Drives it to the other level.
    pub fn toggle(&self) -> Result<()> {
        self.set(!self.level.get())
    }

    /// The level it was last driven to.
    pub fn is_set(&self) -> bool {
        self.level.get()
    }
}
