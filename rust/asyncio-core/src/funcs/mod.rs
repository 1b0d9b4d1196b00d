//! Functions that coordinate tasks (MicroPython's `funcs.py`): [`gather`] and [`wait_for`].

mod gather;
mod wait_for;

pub use gather::{gather, Children, Gather, GatherResults, IntoChildren};
pub use wait_for::{wait_for, wait_for_ms, WaitFor};
