//! [`PinSpec`]: a pin of the devicetree.

use asyncio_core::{Error, Result};
use zephyr::raw::{device, gpio_dt_spec};
use zephyr_asyncio_sys as sys;

use crate::DtNode;

/// A GPIO pin: its controller, number and devicetree flags (active level, pull), as Zephyr's
/// `struct gpio_dt_spec`, and the node it came from.
///
/// ```no_run
/// use asyncio::gpio::PinSpec;
///
/// fn button() -> asyncio::Result<PinSpec> {
///     // `button0: button_0 { gpios = <&gpio0 1 GPIO_ACTIVE_LOW>; };` in the devicetree
///     PinSpec::from_dt(asyncio::dt_node!(button0))
/// }
/// ```
#[derive(Clone, Copy)]
pub struct PinSpec {
    port: *const device,
    pub(crate) pin: u8,
    pub(crate) dt_flags: u16,
    pub(crate) label: &'static str,
    /// On Zephyr's GPIO emulator, whose inputs software may drive.
    #[cfg(CONFIG_GPIO_EMUL)]
    pub(crate) emulated: bool,
}

// SAFETY: `port` points to a device of the devicetree, which lives for the whole program and
// whose GPIO API Zephyr makes callable from any thread or interrupt.
unsafe impl Send for PinSpec {}
// SAFETY: as for `Send`; a `PinSpec` is never written after creation.
unsafe impl Sync for PinSpec {}

impl PinSpec {
    /// The pin of devicetree node `node` (the first entry of its `gpios`): a gpio-keys button,
    /// a gpio-leds LED, any node with a `gpios` property. `Err(Error::NoDevice)` naming the
    /// label if the node has no `gpios` or it or its controller is disabled,
    /// `Err(Error::NotReady)` if the controller did not initialise.
    ///
    /// ```no_run
    /// use asyncio::gpio::{PinSpec, Edge, InputPin};
    ///
    /// async fn first_press() -> asyncio::Result<()> {
    ///     let spec = PinSpec::from_dt(asyncio::dt_node!(button0))?;
    ///     log::info!("waiting on {}", spec.label());
    ///     InputPin::new(spec)?.wait_for_edge(Edge::Rising).await
    /// }
    /// ```
    pub fn from_dt(node: DtNode) -> Result<PinSpec> {
        PinSpec::from_dt_by_idx(node, 0)
    }

    /// Entry `idx` of `node`'s `gpios` (a gpio-qdec encoder's phase B is entry 1), as
    /// [`from_dt`](Self::from_dt).
    ///
    /// ```no_run
    /// use asyncio::gpio::{Encoder, PinSpec};
    ///
    /// // A gpio-qdec node: `gpios = <&gpio0 4 0>, <&gpio0 5 0>;` (phases A and B).
    /// fn knob() -> asyncio::Result<Encoder> {
    ///     let node = asyncio::dt_node!(knob);
    ///     Encoder::new(PinSpec::from_dt_by_idx(node, 0)?, PinSpec::from_dt_by_idx(node, 1)?)
    /// }
    /// ```
    pub fn from_dt_by_idx(node: DtNode, idx: u8) -> Result<PinSpec> {
        let label = node.label();
        let mut entry = sys::asyncio_dt_pin::default();
        let ord = u32::try_from(node.ord()).map_err(|_| Error::NoDevice { label })?;
        // SAFETY: `entry` is valid for a write.
        if unsafe { sys::asyncio_dt_find_pin(ord, idx, &mut entry) } != 0 {
            return Err(Error::NoDevice { label });
        }
        let spec = PinSpec {
            port: entry.spec.port,
            pin: entry.spec.pin,
            dt_flags: entry.spec.dt_flags,
            label,
            #[cfg(CONFIG_GPIO_EMUL)]
            emulated: entry.emulated,
        };
        spec.ready()?;
        Ok(spec)
    }

    /// Pin `pin` of the GPIO controller `port` (from zephyr-lang-rust's devicetree handles:
    /// `zephyr::devicetree::labels::gpio0::get_instance_raw()`), with devicetree flags
    /// `dt_flags` (`GPIO_ACTIVE_LOW` = 1, pulls...), known as `label` in errors.
    ///
    /// # Safety
    /// `port` must be a GPIO controller device that lives for the rest of the program.
    ///
    /// ```no_run
    /// use asyncio::gpio::{OutputPin, PinSpec};
    ///
    /// fn buzzer() -> asyncio::Result<OutputPin> {
    ///     // SAFETY: gpio0 is a GPIO controller of the devicetree: it lives for the whole
    ///     // program.
    ///     let spec = unsafe {
    ///         let gpio0 = zephyr::devicetree::labels::gpio0::get_instance_raw();
    ///         PinSpec::new(gpio0, 7, 0, "buzzer")
    ///     }?;
    ///     OutputPin::new(spec)
    /// }
    /// ```
    pub unsafe fn new(
        port: *const device,
        pin: u8,
        dt_flags: u16,
        label: &'static str,
    ) -> Result<PinSpec> {
        let spec = PinSpec {
            port,
            pin,
            dt_flags,
            label,
            #[cfg(CONFIG_GPIO_EMUL)]
            emulated: false,
        };
        spec.ready()?;
        Ok(spec)
    }

    /// As Zephyr's `struct gpio_dt_spec`, for the `_dt` calls.
    pub(crate) fn raw(&self) -> gpio_dt_spec {
        gpio_dt_spec {
            port: self.port,
            pin: self.pin,
            dt_flags: self.dt_flags,
        }
    }

    /// Its controller (the emulator's, to drive it).
    #[cfg(CONFIG_GPIO_EMUL)]
    pub(crate) fn port(&self) -> *const device {
        self.port
    }

    fn ready(&self) -> Result<()> {
        // SAFETY: a device of the devicetree (the table's, or the caller's per `new`).
        if unsafe { zephyr::raw::device_is_ready(self.port) } {
            Ok(())
        } else {
            Err(Error::NotReady { label: self.label })
        }
    }

    /// The node label it was found by (or given).
    pub fn label(&self) -> &'static str {
        self.label
    }

    /// Its logical level now: `true` is active (pressed, lit), whatever the wiring.
    pub(crate) fn is_active(&self) -> bool {
        // SAFETY: a configured pin of a ready controller.
        unsafe { zephyr::raw::gpio_pin_get_dt(&self.raw()) > 0 }
    }

    /// Configures the pin with its devicetree flags plus `extra` (`GPIO_INPUT`...).
    pub(crate) fn configure(&self, extra: u32) -> Result<()> {
        // SAFETY: a pin of a ready controller.
        match unsafe { zephyr::raw::gpio_pin_configure_dt(&self.raw(), extra) } {
            0 => Ok(()),
            errno => Err(Error::Os(errno)),
        }
    }
}
