//! [`when_ready`]: what every kernel-object await does — try the non-blocking operation, and
//! if it cannot succeed yet, let the loop's `k_poll` say when to try again.

use core::ffi::c_void;
use core::future::poll_fn;
use core::task::Poll;

use asyncio_core::{check_cancel, note_waiting, Error, Result, Waiting};

use crate::platform::ZEPHYR;
use crate::poll_set::Slot;

/// Runs `try_op` (a `K_NO_WAIT` operation) until it succeeds, waiting in the loop's `k_poll`
/// for `object` (event type `kind`; `what` names it in task listings) in between. Cancellable
/// at every wait, leaving no slot behind. `Err(Error::PoolFull)` if every poll slot is taken.
pub(crate) async fn when_ready<T>(
    what: &'static str,
    kind: u32,
    object: *mut c_void,
    mut try_op: impl FnMut() -> Option<T>,
) -> Result<T> {
    check_cancel()?;
    if let Some(value) = try_op() {
        return Ok(value);
    }
    let slot = ClaimedSlot(
        ZEPHYR
            .with_poll_set(|set| set.claim(kind, object))
            .ok_or(Error::PoolFull)?,
    );
    loop {
        slot.armed_wait(what).await;
        check_cancel()?;
        // A notify-only event: the object may already be gone (another thread took it).
        if let Some(value) = try_op() {
            return Ok(value);
        }
    }
}

/// A claimed poll slot, given back when dropped (the await ended or was cancelled).
struct ClaimedSlot(Slot);

impl ClaimedSlot {
    /// Arms the slot and waits until the task is woken (by the slot, or for another reason).
    async fn armed_wait(&self, what: &'static str) {
        let mut armed = false;
        poll_fn(|cx| {
            if armed {
                return Poll::Ready(());
            }
            ZEPHYR.with_poll_set(|set| set.arm(self.0, cx.waker()));
            armed = true;
            note_waiting(Waiting::On(what));
            Poll::Pending
        })
        .await
    }
}

impl Drop for ClaimedSlot {
    fn drop(&mut self) {
        ZEPHYR.with_poll_set(|set| set.release(self.0));
    }
}
