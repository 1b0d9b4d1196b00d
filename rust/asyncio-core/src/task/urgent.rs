//! [`urgent`]: a wait whose wake runs the task ahead of the tasks already ready.

use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{Context, Poll};

use pin_project_lite::pin_project;

use super::{current_task, TaskRef};

/// Awaits `future` with the calling task marked urgent (see [`TaskRef::set_urgent`]): when the
/// wait ends — a [`ThreadSafeFlag`](crate::ThreadSafeFlag) set by an interrupt, a pin's edge,
/// a kernel object — the task runs as soon as the poll in progress returns, ahead of the
/// round's other ready tasks, instead of after all of them. The mark is lifted when the
/// future finishes or is dropped (a task that was urgent already stays so).
///
/// The loop bounds it: a task runs ahead at most once per round, so urgent waits cannot starve
/// the other tasks (MicroPython has no such wait: PR #18826 proposes one; micropython-async's
/// "fast I/O" mode is the model).
///
/// ```
/// use asyncio_core::{create_task, run, urgent, yield_now, Error, ThreadSafeFlag};
/// use std::cell::RefCell;
/// use std::rc::Rc;
///
/// static FLAG: ThreadSafeFlag = ThreadSafeFlag::new();
///
/// let order = Rc::new(RefCell::new(Vec::new()));
/// run({
///     let order = order.clone();
///     async move {
///         let o = order.clone();
///         let handler = create_task(async move {
///             urgent(FLAG.wait()).await?;
///             o.borrow_mut().push("handler");
///             Ok::<_, Error>(())
///         });
///         yield_now().await?; // the handler waits
///         let busy: Vec<_> = ["a", "b", "c"]
///             .into_iter()
///             .map(|name| {
///                 let o = order.clone();
///                 create_task(async move {
///                     if name == "a" {
///                         FLAG.set(); // as an interrupt would, in the middle of a round
///                     }
///                     o.borrow_mut().push(name);
///                     Ok::<_, Error>(())
///                 })
///             })
///             .collect();
///         for t in busy {
///             t.await?;
///         }
///         handler.await
///     }
/// })
/// .unwrap()
/// .unwrap();
/// // Woken during a's poll, the handler ran right after it, ahead of b and c.
/// assert_eq!(*order.borrow(), ["a", "handler", "b", "c"]);
/// ```
pub fn urgent<F: IntoFuture>(future: F) -> Urgent<F::IntoFuture> {
    Urgent {
        future: future.into_future(),
        marked: None,
    }
}

pin_project! {
    /// The future of [`urgent`].
    ///
    /// ```
    /// use asyncio_core::{run, sleep_ms, urgent, Urgent};
    ///
    /// run(async {
    ///     let wait: Urgent<_> = urgent(sleep_ms(5)); // a timer's wake is urgent too
    ///     wait.await.unwrap();
    /// })
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct Urgent<F> {
        #[pin]
        future: F,
        // The task marked by this wait (None before the first poll, or if it was urgent
        // already, in which case the mark is not this wait's to lift).
        marked: Option<TaskRef>,
    }

    impl<F> PinnedDrop for Urgent<F> {
        fn drop(this: Pin<&mut Self>) {
            if let Some(task) = this.project().marked.take() {
                task.set_urgent(false);
            }
        }
    }
}

impl<F: Future> Future for Urgent<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        if this.marked.is_none() {
            if let Some(task) = current_task().filter(|t| !t.is_urgent()) {
                task.set_urgent(true);
                *this.marked = Some(task);
            }
        }
        let out = this.future.poll(cx);
        if out.is_ready() {
            if let Some(task) = this.marked.take() {
                task.set_urgent(false);
            }
        }
        out
    }
}
