//! The atomics of the wake path, swapped for loom's under `--cfg loom`, so the loom tests
//! model-check the real code (see `wake_queue`'s tests).

#[cfg(not(loom))]
pub(crate) use core::sync::atomic::{fence, AtomicBool, AtomicPtr, AtomicU32};
#[cfg(loom)]
pub(crate) use loom::sync::atomic::{fence, AtomicBool, AtomicPtr, AtomicU32};

pub(crate) use core::sync::atomic::Ordering;
