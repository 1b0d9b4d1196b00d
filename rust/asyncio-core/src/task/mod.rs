//! Tasks: [`create_task`], [`current_task`], the handles, and waiting for a task to finish.

mod handle;
mod join;
mod pool;
mod urgent;
mod waiting;

use core::future::Future;

pub use crate::waiting::Waiting;
pub(crate) use handle::copy_error;
pub use handle::{SharedTask, Task, TaskRef};
pub use join::{shield, Join, SharedJoin, Wait};
pub(crate) use join::{Awaiting, Completion, Role};
pub use pool::{task_size, TaskPool};
pub use urgent::{urgent, Urgent};
pub use waiting::note_waiting;

use crate::context;
use crate::error::{Error, TaskOutput};

/// Schedules `future` as a new task on the current thread's loop and returns its handle.
///
/// The task starts at the loop's next round (after the tasks already ready). It may be created
/// before the loop runs; it then starts when the loop does. The future need not be `Send`.
///
/// ```
/// use asyncio_core::{create_task, run, sleep_ms, Error};
///
/// async fn double(x: u32) -> Result<u32, Error> {
///     sleep_ms(1).await?;
///     Ok(x * 2)
/// }
///
/// let out = run(async { create_task(double(21)).await }).unwrap();
/// assert_eq!(out, Ok(42));
/// ```
pub fn create_task<F>(future: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: TaskOutput,
{
    crate::get_event_loop().create_task(future)
}

/// Like [`create_task`], but a heap with no room for the task is [`Error::NoMemory`] rather
/// than the allocation-failure handler (which, on Zephyr, is a fatal error: see
/// `docs/semantics.md`). Firmware that must not fail there spawns this way, or into a
/// [`TaskPool`].
///
/// ```
/// use asyncio_core::{run, try_create_task, Error};
///
/// let out = run(async {
///     let t = try_create_task(async { Ok::<_, Error>(7) })?;
///     t.await
/// });
/// assert_eq!(out.unwrap(), Ok(7));
/// ```
///
/// # Errors
/// [`Error::NoMemory`] if the heap cannot hold the task; `future` is dropped.
pub fn try_create_task<F>(future: F) -> Result<Task<F::Output>, Error>
where
    F: Future + 'static,
    F::Output: TaskOutput,
{
    crate::get_event_loop().try_create_task(future)
}

/// The task running now, or `None` outside a task (Python raises `RuntimeError` there).
///
/// ```
/// use asyncio_core::{current_task, run};
///
/// assert!(current_task().is_none());
/// run(async { assert!(current_task().is_some()) }).unwrap();
/// ```
pub fn current_task() -> Option<TaskRef> {
    let core = context::running_loop()?;
    core.current_task().map(TaskRef::from_ptr)
}

/// Something that can become a task: a future (which `into_task` schedules, as MicroPython's
/// `_promote_to_task` does) or a [`Task`] already running.
///
/// ```
/// use asyncio_core::{create_task, gather, run, Error};
///
/// let out = run(async {
///     let running = create_task(async { Ok::<_, Error>(1) });
///     gather((running, async { Ok::<_, Error>(2) })).await // a task and a future
/// });
/// assert_eq!(out.unwrap(), Ok((1, 2)));
/// ```
pub trait IntoTask {
    /// The task's output.
    type Output: TaskOutput;

    /// The task: scheduled now if it was a future.
    fn into_task(self) -> Task<Self::Output>;
}

impl<F> IntoTask for F
where
    F: Future + 'static,
    F::Output: TaskOutput,
{
    type Output = F::Output;

    fn into_task(self) -> Task<F::Output> {
        create_task(self)
    }
}

impl<O: TaskOutput> IntoTask for Task<O> {
    type Output = O;

    fn into_task(self) -> Task<O> {
        self
    }
}
