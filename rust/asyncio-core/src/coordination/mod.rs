//! Functions that coordinate tasks (MicroPython's `funcs.py`): [`gather`], [`wait_for`] and, for futures
//! that borrow, [`timeout`].

mod gather;
mod timeout;
mod wait_for;

pub use gather::{gather, Children, Gather, GatherResults, IntoChildren};
pub use timeout::{timeout, timeout_ms, Timeout};
pub use wait_for::{wait_for, wait_for_ms, WaitFor};
