//! Functions that coordinate tasks (MicroPython's `funcs.py`, and CPython's where MicroPython
//! has none): [`gather`], [`wait`] and [`as_completed`] over sets of tasks; structured
//! concurrency with [`task_group`]; and the deadlines: [`timeout`] (cancels in place),
//! [`drop_after`] (drops) and [`wait_for`] (runs the code as a task).

mod gather;
mod task_group;
mod timeout;
mod wait;
mod wait_for;

pub use gather::{gather, Children, Gather, GatherResults, IntoChildren};
pub use task_group::{task_group, GroupError, GroupScope, TaskGroup};
pub use timeout::{drop_after, drop_after_ms, timeout, timeout_at, timeout_ms, DropAfter, Timeout};
pub use wait::{as_completed, wait, AsCompleted, ReturnWhen};
pub use wait_for::{wait_for, wait_for_ms, WaitFor};
