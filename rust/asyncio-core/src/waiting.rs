//! [`Waiting`]: what a task is waiting for, for task listings and diagnostics (MicroPython keeps
//! the queue a waiting task sits on in `task.data`). Each loop primitive notes it with
//! [`note_waiting`](crate::note_waiting) when it makes its task wait.

use core::fmt;

/// What a task is waiting for, as reported by [`TaskRef::waiting`](crate::TaskRef::waiting).
///
/// Each loop primitive notes it when it makes its task wait; a future that is not a loop
/// primitive (and does not call [`note_waiting`](crate::note_waiting)) shows as [`Waiting::Unknown`].
///
/// ```
/// use asyncio_core::{create_task, run, sleep_ms, yield_now, Error, Event, Waiting};
/// use std::rc::Rc;
///
/// run(async {
///     let ready = Rc::new(Event::new());
///     let waiter = create_task({
///         let ready = ready.clone();
///         async move { ready.wait().await }
///     });
///     let sleeper = create_task(sleep_ms(500));
///     yield_now().await?;
///     assert_eq!(waiter.waiting(), Waiting::On("Event"));
///     assert_eq!(sleeper.waiting(), Waiting::Sleep { until_ms: 500 });
///     assert_eq!(sleeper.waiting().to_string(), "sleep until 500 ms");
///     ready.set();
///     waiter.await?;
///     assert_eq!(sleeper.waiting(), Waiting::Sleep { until_ms: 500 });
///     sleeper.cancel();
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Waiting {
    /// Scheduled to run, or running now.
    Ready,
    /// Finished.
    Done,
    /// Sleeping until this time on the loop's clock, in milliseconds.
    Sleep {
        /// The deadline, as [`ticks_ms`](crate::ticks_ms) will read it.
        until_ms: u64,
    },
    /// Awaiting the task with this name.
    Task(&'static str),
    /// A primitive or an I/O source, by name: `"Event"`, `"Lock"`, `"Queue.get"`, `"k_sem"`...
    On(&'static str),
    /// A future that is not a loop primitive.
    Unknown,
}

impl fmt::Display for Waiting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Waiting::Ready => f.write_str("ready"),
            Waiting::Done => f.write_str("done"),
            Waiting::Sleep { until_ms } => write!(f, "sleep until {until_ms} ms"),
            Waiting::Task(name) => write!(f, "task {name}"),
            Waiting::On(what) => f.write_str(what),
            Waiting::Unknown => f.write_str("a foreign future"),
        }
    }
}
