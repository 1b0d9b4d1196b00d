//! [`DtNode`] and [`dt_node!`]: a devicetree node named by its node label, checked when the
//! application is built.
//!
//! zephyr-lang-rust generates a module for every node label of the application's devicetree
//! (`zephyr::devicetree::labels::<label>`, holding the node's dependency ordinal `ORD`).
//! [`dt_node!`] names that module, so a label the devicetree does not have fails the build,
//! with rustc pointing at the label. What the devicetree cannot tell at build time (a node
//! without the property the adapter needs, a disabled node, a driver that failed at boot) is
//! an `Err` naming the label when the adapter is created.

use core::fmt;

/// A devicetree node, as [`dt_node!`](crate::dt_node) names it: what the adapters' `from_dt` take.
///
/// ```no_run
/// use asyncio::gpio::InputPin;
///
/// fn button() -> asyncio::Result<InputPin> {
///     // `button0: button_0 { gpios = <&gpio0 1 GPIO_ACTIVE_LOW>; };` in the devicetree;
///     // `dt_node!(button9)` would not compile.
///     InputPin::from_dt(asyncio::dt_node!(button0))
/// }
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DtNode {
    ord: usize,
    /// The label followed by a NUL, for C.
    label_nul: &'static str,
}

impl DtNode {
    /// The node of dependency ordinal `ord` (Zephyr's `DT_DEP_ORD`), known as `label_nul`
    /// without its final NUL. Use [`dt_node!`], which takes both from the devicetree.
    #[doc(hidden)]
    pub const fn new(ord: usize, label_nul: &'static str) -> DtNode {
        let bytes = label_nul.as_bytes();
        assert!(
            !bytes.is_empty() && bytes[bytes.len() - 1] == 0,
            "the label ends in a NUL"
        );
        DtNode { ord, label_nul }
    }

    /// Its node label, as written in the devicetree.
    pub fn label(&self) -> &'static str {
        &self.label_nul[..self.label_nul.len() - 1]
    }

    /// Its dependency ordinal, the key of the module's C tables (`c/devicetree.c`).
    #[cfg(any(CONFIG_ASYNCIO_GPIO, CONFIG_ASYNCIO_PWM))]
    pub(crate) fn ord(&self) -> usize {
        self.ord
    }

    /// Its device, by node label (Zephyr's `device_get_by_dt_nodelabel`, which the adapters
    /// that need it enable through `CONFIG_DEVICE_DT_METADATA`): `Err(Error::NoDevice)` if
    /// the node is disabled, has no driver, or its driver failed at boot (Zephyr finds only
    /// devices that are ready).
    #[cfg(any(CONFIG_ASYNCIO_UART, CONFIG_ASYNCIO_SENSOR, CONFIG_ASYNCIO_INPUT))]
    pub(crate) fn device(&self) -> asyncio_core::Result<&'static zephyr::raw::device> {
        let name = self.label_nul.as_ptr().cast();
        // SAFETY: `label_nul` is NUL-terminated (checked by `new`); the function only reads it.
        let dev = unsafe { zephyr::raw::device_get_by_dt_nodelabel(name) };
        // SAFETY: a non-null result is a ready device of the devicetree, which lives for the
        // whole program.
        unsafe { dev.as_ref() }.ok_or(asyncio_core::Error::NoDevice {
            label: self.label(),
        })
    }
}

impl fmt::Debug for DtNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "&{}", self.label())
    }
}

/// The devicetree node with node label `$label` (as written in the devicetree, with `_` for
/// `-`), as a [`DtNode`]; a label the application's devicetree does not have is a build
/// error. See [`DtNode`].
#[macro_export]
macro_rules! dt_node {
    ($label:ident) => {
        // Evaluated by the compiler: `new`'s check costs nothing at run time.
        const {
            $crate::DtNode::new(
                $crate::__private::zephyr::devicetree::labels::$label::ORD,
                ::core::concat!(::core::stringify!($label), "\0"),
            )
        }
    };
}
