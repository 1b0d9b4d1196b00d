//! The scheduler's building blocks, each in its own file: the task [`header`], its
//! [`lifecycle`], its diagnostic [`task_info`] and its typed [`task_cell`], the [`waker`], the [`wake_queue`] other contexts push to, the loop's
//! [`run_queue`], [`timer_heap`], [`task_list`], and the [`wait_list`] primitives park tasks on.
//!
//! Nothing here is public. `unsafe` lives here and in the futures that embed intrusive nodes
//! (`Sleep`, `Join`); each block states why it holds.

pub(crate) mod atomic;
pub(crate) mod header;
pub(crate) mod lifecycle;
pub(crate) mod run_queue;
pub(crate) mod task_cell;
pub(crate) mod task_info;
pub(crate) mod task_list;
pub(crate) mod timer_heap;
pub(crate) mod wait_list;
pub(crate) mod wake_queue;
pub(crate) mod waker;
