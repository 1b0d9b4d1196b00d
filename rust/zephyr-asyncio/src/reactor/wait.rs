//! [`armed_wait`]: the wait between two attempts of a non-blocking operation on a reactor
//! source, which every kernel-object await and every socket await makes.

use core::future::poll_fn;
use core::task::{Poll, Waker};

use asyncio_core::{note_waiting, Waiting};

/// Arms the source with the task's waker (`arm` says whether the task must wait) and waits
/// until the task is woken once: by the source, or for another reason (a cancellation). The
/// caller then retries its operation, since a notify-only event may have been taken by someone
/// else. `what` names the source in task listings.
pub(crate) async fn armed_wait(what: &'static str, arm: impl FnOnce(&Waker) -> bool) {
    let mut arm = Some(arm);
    poll_fn(|cx| match arm.take() {
        Some(arm) => {
            if !arm(cx.waker()) {
                return Poll::Ready(());
            }
            note_waiting(Waiting::On(what));
            Poll::Pending
        }
        None => Poll::Ready(()),
    })
    .await
}
