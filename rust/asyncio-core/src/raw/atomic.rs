//! The atomics of the wake path, swapped for loom's under `--cfg loom`, so the loom tests
//! model-check the real code (see `wake_queue`'s tests).
//!
//! Outside loom they are portable-atomic's: the target's own instructions where it has
//! compare-and-swap, a critical section around each operation where it has not (Armv6-M).
//! Either way the wake path's code, which the models check, is the same; a critical section
//! makes each operation indivisible, which is stronger than what the models assume.

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{fence, AtomicBool, AtomicPtr, AtomicU32};
#[cfg(not(loom))]
pub(crate) use portable_atomic::{fence, AtomicBool, AtomicPtr, AtomicU32};

pub(crate) use core::sync::atomic::Ordering;

/// Declares a `const fn` that is a plain `fn` under loom, whose atomics cannot be built in a
/// `const` context (constructors of nodes that live in `static`s).
macro_rules! const_unless_loom {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:tt)*) -> $ret:ty $body:block) => {
        #[cfg(not(loom))]
        $(#[$meta])*
        $vis const fn $name($($arg)*) -> $ret $body
        #[cfg(loom)]
        $(#[$meta])*
        $vis fn $name($($arg)*) -> $ret $body
    };
}
pub(crate) use const_unless_loom;
