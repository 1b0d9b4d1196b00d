//! The loop's `k_poll` event array: its own wake-up signal in slot 0, then the kernel objects
//! tasks are waiting on.
//!
//! A task waiting on a kernel object claims a slot, then *arms* it (with its waker) each time
//! it is about to return `Pending`. When `k_poll` reports the object ready, the slot is
//! disarmed and the task woken as I/O readiness; the task re-arms it if it still has to wait
//! (someone else took the semaphore first). Disarming matters: semaphore and queue events are
//! level-triggered, and an armed event whose task is not listening would make every `k_poll`
//! return at once.
//!
//! Unused and disarmed slots are `K_POLL_TYPE_IGNORE`, which `k_poll` skips, so slots keep
//! their index while claimed. Only the loop thread touches the set; the kernel reads and
//! updates the events only inside `k_poll`, which the loop thread is then blocked in.

use core::ffi::c_void;
use core::sync::atomic::{AtomicUsize, Ordering};
use core::task::Waker;

use zephyr::raw::{
    k_poll_event, k_poll_event_init, k_poll_modes_K_POLL_MODE_NOTIFY_ONLY, K_POLL_STATE_NOT_READY,
    K_POLL_TYPE_IGNORE,
};

/// Slot 0 (the loop's signal) plus the configured number of kernel-object slots.
pub(crate) const SLOTS: usize = 1 + zephyr::kconfig::CONFIG_ASYNCIO_POLL_EVENTS as usize;

/// How many slots are claimed (there is one poll set, the loop's); readable from anywhere.
static CLAIMED: AtomicUsize = AtomicUsize::new(0);

/// How many kernel-object waits hold a slot.
pub(crate) fn claimed() -> usize {
    CLAIMED.load(Ordering::Relaxed)
}

/// A claimed slot's index.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Slot(usize);

struct Entry {
    kind: u32,
    object: *mut c_void,
    waker: Option<Waker>,
    claimed: bool,
}

pub(crate) struct PollSet {
    events: [k_poll_event; SLOTS],
    entries: [Entry; SLOTS],
    /// One past the highest claimed slot: the length `k_poll` is given.
    len: usize,
    armed: usize,
}

const FREE: Entry = Entry {
    kind: K_POLL_TYPE_IGNORE,
    object: core::ptr::null_mut(),
    waker: None,
    claimed: false,
};

impl PollSet {
    pub(crate) const fn new() -> Self {
        PollSet {
            // SAFETY: all-zero is a valid k_poll_event (type IGNORE, state NOT_READY).
            events: unsafe { core::mem::zeroed() },
            entries: [FREE; SLOTS],
            len: 1,
            armed: 0,
        }
    }

    fn init_event(&mut self, slot: usize, kind: u32, object: *mut c_void) {
        // SAFETY: the event is ours and not inside a k_poll (loop thread, not polling).
        unsafe {
            k_poll_event_init(
                &mut self.events[slot],
                kind,
                k_poll_modes_K_POLL_MODE_NOTIFY_ONLY as i32,
                object,
            )
        };
    }

    /// Puts the loop's own signal in slot 0.
    pub(crate) fn set_loop_signal(&mut self, kind: u32, signal: *mut c_void) {
        self.init_event(0, kind, signal);
    }

    /// The events to give `k_poll`: with `with_signal`, from slot 0; otherwise from slot 1.
    pub(crate) fn events(&mut self, with_signal: bool) -> (*mut k_poll_event, i32) {
        let first = usize::from(!with_signal);
        (&mut self.events[first], (self.len - first) as i32)
    }

    /// Clears the loop signal's reported state, for the next `k_poll`.
    pub(crate) fn clear_loop_signal_state(&mut self) {
        self.events[0].set_state(K_POLL_STATE_NOT_READY);
    }

    pub(crate) fn has_armed(&self) -> bool {
        self.armed > 0
    }

    /// Reserves a slot for waiting on `object` with k_poll event type `kind` (disarmed).
    pub(crate) fn claim(&mut self, kind: u32, object: *mut c_void) -> Option<Slot> {
        let index = (1..SLOTS).find(|&i| !self.entries[i].claimed)?;
        self.entries[index] = Entry {
            kind,
            object,
            waker: None,
            claimed: true,
        };
        self.init_event(index, K_POLL_TYPE_IGNORE, object);
        self.len = self.len.max(index + 1);
        CLAIMED.fetch_add(1, Ordering::Relaxed);
        Some(Slot(index))
    }

    /// Makes `slot`'s event part of the next `k_poll`, waking `waker` when it is ready.
    pub(crate) fn arm(&mut self, slot: Slot, waker: &Waker) {
        let entry = &mut self.entries[slot.0];
        if entry.waker.is_none() {
            self.armed += 1;
        }
        entry.waker = Some(waker.clone());
        let (kind, object) = (entry.kind, entry.object);
        self.init_event(slot.0, kind, object);
    }

    fn disarm(&mut self, index: usize) -> Option<Waker> {
        let waker = self.entries[index].waker.take();
        if waker.is_some() {
            self.armed -= 1;
        }
        let object = self.entries[index].object;
        self.init_event(index, K_POLL_TYPE_IGNORE, object);
        waker
    }

    /// Gives `slot` back.
    pub(crate) fn release(&mut self, slot: Slot) {
        drop(self.disarm(slot.0));
        self.entries[slot.0] = FREE;
        CLAIMED.fetch_sub(1, Ordering::Relaxed);
        while self.len > 1 && !self.entries[self.len - 1].claimed {
            self.len -= 1;
        }
    }

    /// After a `k_poll`: wakes the tasks whose objects are ready and disarms their slots.
    pub(crate) fn dispatch(&mut self) {
        for index in 1..self.len {
            if self.events[index].state() != K_POLL_STATE_NOT_READY {
                if let Some(waker) = self.disarm(index) {
                    asyncio_core::wake_io(waker);
                }
            }
        }
    }
}
