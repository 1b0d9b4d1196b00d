//! The loop's `k_poll` event array: its own wake-up signal in slot 0, then the kernel objects
//! and sockets tasks are waiting on.
//!
//! A task waiting on a kernel object claims a slot, then *arms* it (with its waker) each time
//! it is about to return `Pending`. When `k_poll` reports the object ready, the slot is
//! disarmed and the task woken as I/O readiness; the task re-arms it if it still has to wait
//! (someone else took the semaphore first). Disarming matters: semaphore and queue events are
//! level-triggered, and an armed event whose task is not listening would make every `k_poll`
//! return at once. Sockets work the same way with their own events (see [`socket`]).
//!
//! Unused and disarmed slots are `K_POLL_TYPE_IGNORE`, which `k_poll` skips, so slots keep
//! their index while claimed. Only the loop thread touches the set; the kernel reads and
//! updates the events only inside `k_poll`, which the loop thread is then blocked in.

#[cfg(CONFIG_ASYNCIO_STREAMS)]
pub(crate) mod socket;

use core::ffi::c_void;
use core::sync::atomic::{AtomicUsize, Ordering};
use core::task::Waker;

use zephyr::raw::{
    k_poll_event, k_poll_event_init, k_poll_modes_K_POLL_MODE_NOTIFY_ONLY, K_POLL_STATE_NOT_READY,
    K_POLL_TYPE_IGNORE,
};

/// Slot 0 (the loop's signal) plus the configured number of kernel-object slots.
pub(crate) const SLOTS: usize = 1 + zephyr::kconfig::CONFIG_ASYNCIO_POLL_EVENTS as usize;

/// What unused events point at: `k_poll_event_init` insists on an object even for an event
/// `k_poll` ignores (an assertion with `CONFIG_ASSERT`).
static IGNORED: u8 = 0;

/// How many waits hold slots (there is one poll set, the loop's); readable from anywhere.
static CLAIMED: AtomicUsize = AtomicUsize::new(0);

/// How many kernel-object and socket waits hold slots.
pub(crate) fn claimed() -> usize {
    CLAIMED.load(Ordering::Relaxed)
}

/// A claimed slot's index.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Slot(usize);

/// What a slot is used for.
enum Entry {
    Free,
    /// A kernel object: one event, armed while `waker` is set.
    Object {
        kind: u32,
        object: *mut c_void,
        waker: Option<Waker>,
    },
    #[cfg(CONFIG_ASYNCIO_STREAMS)]
    Socket(socket::SocketEntry),
    /// The slot after a socket's: its second event.
    #[cfg(CONFIG_ASYNCIO_STREAMS)]
    SocketTail,
}

impl Entry {
    fn is_free(&self) -> bool {
        matches!(self, Entry::Free)
    }
}

pub(crate) struct PollSet {
    events: [k_poll_event; SLOTS],
    entries: [Entry; SLOTS],
    /// One past the highest claimed slot: the length `k_poll` is given.
    len: usize,
    /// Slots whose events take part in the next `k_poll`.
    armed: usize,
}

const FREE: Entry = Entry::Free;

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

    /// Makes the event at `slot` one that `k_poll` skips.
    fn ignore_event(&mut self, slot: usize) {
        self.init_event(
            slot,
            K_POLL_TYPE_IGNORE,
            core::ptr::addr_of!(IGNORED).cast_mut().cast(),
        );
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

    /// Takes `count` adjacent free slots for `entry` (the first) and `tail` (the others).
    fn claim_run(&mut self, count: usize, entry: Entry, tail: impl Fn() -> Entry) -> Option<Slot> {
        let index =
            (1..=SLOTS - count).find(|&i| self.entries[i..i + count].iter().all(Entry::is_free))?;
        self.entries[index] = entry;
        for i in index + 1..index + count {
            self.entries[i] = tail();
        }
        for i in index..index + count {
            self.ignore_event(i);
        }
        self.len = self.len.max(index + count);
        CLAIMED.fetch_add(1, Ordering::Relaxed);
        Some(Slot(index))
    }

    /// Reserves a slot for waiting on `object` with k_poll event type `kind` (disarmed).
    pub(crate) fn claim(&mut self, kind: u32, object: *mut c_void) -> Option<Slot> {
        let entry = Entry::Object {
            kind,
            object,
            waker: None,
        };
        self.claim_run(1, entry, || Entry::Free)
    }

    /// Makes `slot`'s event part of the next `k_poll`, waking `waker` when it is ready.
    pub(crate) fn arm(&mut self, slot: Slot, waker: &Waker) {
        let Entry::Object {
            kind,
            object,
            waker: armed,
        } = &mut self.entries[slot.0]
        else {
            return;
        };
        if armed.is_none() {
            self.armed += 1;
        }
        *armed = Some(waker.clone());
        let (kind, object) = (*kind, *object);
        self.init_event(slot.0, kind, object);
    }

    fn disarm(&mut self, index: usize) -> Option<Waker> {
        let Entry::Object { waker, .. } = &mut self.entries[index] else {
            return None;
        };
        let waker = waker.take();
        if waker.is_some() {
            self.armed -= 1;
        }
        self.ignore_event(index);
        waker
    }

    /// Gives `slot` back. Tasks still waiting on a socket there are woken (it was closed).
    pub(crate) fn release(&mut self, slot: Slot) {
        let count = match self.entries[slot.0] {
            Entry::Object { .. } => {
                drop(self.disarm(slot.0));
                1
            }
            #[cfg(CONFIG_ASYNCIO_STREAMS)]
            Entry::Socket(_) => {
                self.close_socket(slot.0);
                socket::EVENTS
            }
            _ => return,
        };
        for entry in &mut self.entries[slot.0..slot.0 + count] {
            *entry = Entry::Free;
        }
        CLAIMED.fetch_sub(1, Ordering::Relaxed);
        while self.len > 1 && self.entries[self.len - 1].is_free() {
            self.len -= 1;
        }
    }

    fn is_ready(&self, index: usize) -> bool {
        self.events[index].state() != K_POLL_STATE_NOT_READY
    }

    /// After a `k_poll`: wakes the tasks whose objects are ready and disarms their slots.
    pub(crate) fn dispatch(&mut self) {
        for index in 1..self.len {
            match self.entries[index] {
                Entry::Object { .. } if self.is_ready(index) => {
                    if let Some(waker) = self.disarm(index) {
                        asyncio_core::wake_io(waker);
                    }
                }
                #[cfg(CONFIG_ASYNCIO_STREAMS)]
                Entry::Socket(_) => self.dispatch_socket(index),
                _ => {}
            }
        }
    }
}
