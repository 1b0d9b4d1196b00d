//! [`EdgeIrq`]: a pin's edge interrupt, registered from Rust for as long as it lives.
//!
//! The `gpio_callback` sits first in a pinned allocation with the pin and the state its
//! handler updates, so the handler (called by the driver in interrupt context, or in the
//! caller's context for gpio_emul) finds them from the callback pointer alone. Registering
//! configures the pin's interrupt on both edges; dropping disables it and removes the callback,
//! so a pin a cancelled task dropped leaves nothing armed ([`armed`]).

use alloc::boxed::Box;
use core::pin::Pin;
use zephyr::sync::atomic::{AtomicUsize, Ordering};

use asyncio_core::{Error, Result};
use zephyr::raw::{
    device, gpio_add_callback_dt, gpio_callback, gpio_init_callback,
    gpio_pin_interrupt_configure_dt, gpio_port_pins_t, gpio_remove_callback_dt,
    ZR_GPIO_INT_DISABLE, ZR_GPIO_INT_EDGE, ZR_GPIO_INT_ENABLE, ZR_GPIO_INT_HIGH_1,
    ZR_GPIO_INT_LOW_0,
};

use super::spec::PinSpec;

/// Zephyr's `GPIO_INT_EDGE_BOTH`.
const EDGE_BOTH: u32 =
    ZR_GPIO_INT_ENABLE | ZR_GPIO_INT_EDGE | ZR_GPIO_INT_LOW_0 | ZR_GPIO_INT_HIGH_1;

/// Edge callbacks registered now, over every pin.
static ARMED: AtomicUsize = AtomicUsize::new(0);

/// How many edge interrupts are registered now (pins and encoders alive).
///
/// ```no_run
/// use asyncio::gpio::{armed, InputPin};
///
/// fn check_no_leak() -> asyncio::Result<()> {
///     let before = armed();
///     drop(InputPin::from_dt(asyncio::dt_node!(button0))?);
///     assert_eq!(armed(), before); // the dropped pin's interrupt is off again
///     Ok(())
/// }
/// ```
pub fn armed() -> usize {
    ARMED.load(Ordering::Relaxed)
}

/// A registered edge interrupt of `spec`, whose handler calls `on_edge(&state, &spec)`.
#[repr(C)]
pub(crate) struct EdgeIrq<S: Sync + 'static> {
    // First: the handler's `cb` pointer is the whole struct's.
    callback: gpio_callback,
    pub(crate) spec: PinSpec,
    pub(crate) state: S,
    on_edge: fn(&S, &PinSpec),
}

// SAFETY: the callback is only touched by its driver (under its own locking) and in `Drop`;
// `spec` is plain data; `state` is `Sync`.
unsafe impl<S: Sync> Sync for EdgeIrq<S> {}

unsafe extern "C" fn handler<S: Sync + 'static>(
    _port: *const device,
    cb: *mut gpio_callback,
    _pins: gpio_port_pins_t,
) {
    // SAFETY: `cb` is the first field of a live, pinned `EdgeIrq<S>` (repr(C)): it is only
    // registered by `arm` and removed before the allocation is freed.
    let irq = unsafe { &*(cb as *const EdgeIrq<S>) };
    (irq.on_edge)(&irq.state, &irq.spec);
}

impl<S: Sync + 'static> EdgeIrq<S> {
    /// Configures `spec` as an input (with its devicetree flags) and registers its edge
    /// interrupt on both edges. `Err(Error::Os(-ENOTSUP))` if the controller cannot interrupt
    /// on both edges.
    pub(crate) fn arm(
        spec: PinSpec,
        state: S,
        on_edge: fn(&S, &PinSpec),
    ) -> Result<Pin<Box<Self>>> {
        spec.configure(zephyr::raw::ZR_GPIO_INPUT)?;
        let irq = Box::pin(EdgeIrq {
            // SAFETY: all-zero is a valid gpio_callback before gpio_init_callback.
            callback: unsafe { core::mem::zeroed() },
            spec,
            state,
            on_edge,
        });
        // Counted from here: from here on `Drop` undoes everything (removing a callback that
        // was never added is a no-op), whichever step fails next.
        ARMED.fetch_add(1, Ordering::Relaxed);
        let cb = &irq.callback as *const gpio_callback as *mut gpio_callback;
        // SAFETY: the callback is pinned in the allocation, which removes it in `Drop`.
        let added = unsafe {
            gpio_init_callback(cb, Some(handler::<S>), 1 << spec.pin);
            gpio_add_callback_dt(&spec.raw(), cb)
        };
        if added != 0 {
            return Err(Error::Os(added));
        }
        // SAFETY: a configured input pin of a ready controller.
        match unsafe { gpio_pin_interrupt_configure_dt(&spec.raw(), EDGE_BOTH) } {
            0 => Ok(irq),
            errno => Err(Error::Os(errno)),
        }
    }
}

impl<S: Sync + 'static> Drop for EdgeIrq<S> {
    fn drop(&mut self) {
        let cb = &mut self.callback as *mut gpio_callback;
        // SAFETY: the pin's interrupt is ours; the callback was added by `arm` (removing is
        // idempotent in the drivers' callback lists).
        unsafe {
            gpio_pin_interrupt_configure_dt(&self.spec.raw(), ZR_GPIO_INT_DISABLE);
            gpio_remove_callback_dt(&self.spec.raw(), cb);
        }
        ARMED.fetch_sub(1, Ordering::Relaxed);
    }
}
