//! [`note_waiting`]: how a primitive records what its task waits for.

use crate::context;
use crate::waiting::Waiting;

/// Notes what the running task is about to wait for: for futures written outside this crate
/// (platform adapters, custom primitives), called just before returning `Poll::Pending`.
/// Outside a task it does nothing.
///
/// ```
/// use asyncio_core::{create_task, note_waiting, run, yield_now, Error, Waiting};
/// use std::future::poll_fn;
/// use std::task::Poll;
///
/// run(async {
///     let t = create_task(poll_fn(|_| {
///         note_waiting(Waiting::On("sensor"));
///         Poll::<()>::Pending // a real source would keep the waker
///     }));
///     yield_now().await?;
///     assert_eq!(t.waiting(), Waiting::On("sensor"));
///     t.abort();
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub fn note_waiting(what: Waiting) {
    if let Some(task) = context::running_loop().and_then(|core| core.current_task()) {
        task.local().info.set_waiting(what);
    }
}
