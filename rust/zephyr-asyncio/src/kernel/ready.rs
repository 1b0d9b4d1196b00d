//! [`when_ready`]: what every kernel-object await does — try the non-blocking operation, and
//! if it cannot succeed yet, let the running loop's `k_poll` say when to try again.

use core::cell::Cell;
use core::ffi::c_void;
use core::ptr::NonNull;
use core::task::Waker;

use asyncio_core::{check_cancel, Result};
use zephyr::raw::k_poll_event;

use crate::reactor::{armed_wait, ignore, init_event, Reactor, Registration, Source};

/// Runs `try_op` (a `K_NO_WAIT` operation) until it succeeds, waiting in the running loop's
/// `k_poll` for `object` (event type `kind`; `what` names it in task listings) in between.
/// Cancellable at every wait, leaving no slot behind. `Err(Error::PoolFull)` if every slot of
/// the loop's reactor is taken.
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
    let wait = ObjectWait {
        kind,
        object,
        waker: Cell::new(None),
    };
    // The registration is dropped (the slot given back) before `wait`: it is declared after.
    let registration = Reactor::current()?.register(1, NonNull::from(&wait as &dyn Source))?;
    loop {
        armed_wait(what, |waker| wait.arm(&registration, waker)).await;
        check_cancel()?;
        // A notify-only event: the object may already be gone (another thread took it).
        if let Some(value) = try_op() {
            return Ok(value);
        }
    }
}

/// A task's wait on one kernel object: one event, armed while the task waits.
struct ObjectWait {
    kind: u32,
    object: *mut c_void,
    waker: Cell<Option<Waker>>,
}

impl ObjectWait {
    /// Puts the object's event into the next `k_poll`, to wake `waker`. Always waits.
    fn arm(&self, registration: &Registration, waker: &Waker) -> bool {
        self.waker.set(Some(waker.clone()));
        registration.with_events(|events| {
            init_event(&mut events[0], self.kind, self.object);
            (true, ())
        });
        true
    }
}

impl Source for ObjectWait {
    fn dispatch(&self, events: &mut [k_poll_event]) -> bool {
        // Disarmed at once: semaphore and queue events are level-triggered, and an armed event
        // whose task is not listening would make every `k_poll` return at once. The task
        // re-arms if it still has to wait (someone else took the object first).
        ignore(&mut events[0]);
        if let Some(waker) = self.waker.take() {
            asyncio_core::wake_io(waker);
        }
        false
    }
}
