//! A loop's reactor: the one `k_poll` its thread blocks in, over the loop's own wake-up signal
//! and the kernel objects and sockets its tasks wait on.
//!
//! Each loop has one (inside its [`ZephyrPlatform`](crate::ZephyrPlatform)); an adapter finds
//! the running loop's with [`Reactor::current`]. The reactor knows no object or stream types,
//! as MicroPython's `IOQueue` knows none: an adapter *registers* a [`Source`] on a run of
//! adjacent event slots ([`Reactor::register`]), fills and arms those events itself, and is
//! called back ([`Source::dispatch`]) when `k_poll` reports one of them ready. A kernel object
//! takes one slot (`kernel`), a socket two (`net`).
//!
//! Slot 0 is the loop's `k_poll_signal`, which wakers raise. Unused and disarmed slots are
//! `K_POLL_TYPE_IGNORE`, which `k_poll` skips, so a registration keeps its index while it
//! lives. Only the loop's thread touches the events and registrations; the kernel reads and
//! updates the events only inside `k_poll`, which that thread is then blocked in.
//!
//! Parking follows Zephyr's k_poll rules (kernel docs and zephyr#40189, #44649): after `k_poll`
//! returns, ready sources are dispatched, then the signal is reset and its event state cleared
//! *before* the loop drains its wake queue, so a raise that lands after the reset re-arms the
//! next `k_poll`; `k_poll_signal_raise` may return `-EAGAIN` when it races an expiring poll,
//! and the signal stays raised, so that result needs nothing.

mod wait;

pub(crate) use wait::armed_wait;

use core::any::Any;
use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::ptr::{addr_of, NonNull};
use zephyr::sync::atomic::{AtomicUsize, Ordering};

use asyncio_core::{Error, Result};
use zephyr::raw::{
    k_current_get, k_poll, k_poll_event, k_poll_event_init, k_poll_modes_K_POLL_MODE_NOTIFY_ONLY,
    k_poll_signal, k_poll_signal_init, k_poll_signal_raise, k_poll_signal_reset, k_timeout_t,
    K_POLL_STATE_NOT_READY, K_POLL_TYPE_IGNORE, ZR_POLL_TYPE_SIGNAL,
};
use zephyr::sys::K_NO_WAIT;

/// Slot 0 (the loop's signal) plus the configured number of slots for kernel objects and
/// sockets.
const SLOTS: usize = 1 + zephyr::kconfig::CONFIG_ASYNCIO_POLL_EVENTS as usize;

/// What unused events point at: `k_poll_event_init` insists on an object even for an event
/// `k_poll` ignores (an assertion with `CONFIG_ASSERT`).
static IGNORED: u8 = 0;

/// How many registrations hold slots, over every loop; readable from anywhere.
static REGISTERED: AtomicUsize = AtomicUsize::new(0);

/// How many waits on kernel objects and sockets hold reactor slots, over every loop.
pub(crate) fn registered() -> usize {
    REGISTERED.load(Ordering::Relaxed)
}

/// Something whose readiness is a run of events in a reactor: a kernel object being waited
/// on, a socket.
pub(crate) trait Source {
    /// `k_poll` reported one or more of the source's events ready: wake whoever waits. Each
    /// event must be left armed for the next `k_poll` or made ignored ([`ignore`]); the
    /// result says whether any stays armed.
    fn dispatch(&self, events: &mut [k_poll_event]) -> bool;
}

/// Makes `event` one that `k_poll` skips.
pub(crate) fn ignore(event: &mut k_poll_event) {
    init_event(
        event,
        K_POLL_TYPE_IGNORE,
        addr_of!(IGNORED).cast_mut().cast(),
    );
}

/// Initialises `event` to wait on `object` with k_poll type `kind` (notify-only: the waiter
/// retries its operation when woken).
pub(crate) fn init_event(event: &mut k_poll_event, kind: u32, object: *mut c_void) {
    // SAFETY: the event is the caller's (a registration's, on the loop thread, outside k_poll).
    unsafe {
        k_poll_event_init(
            event,
            kind,
            k_poll_modes_K_POLL_MODE_NOTIFY_ONLY as i32,
            object,
        )
    };
}

/// What a slot is used for.
#[derive(Clone, Copy)]
enum Slot {
    Free,
    /// The first slot of a registration of `count` slots.
    Head {
        source: NonNull<dyn Source>,
        count: usize,
        armed: bool,
    },
    /// A later slot of a registration.
    Tail,
}

/// The loop-thread state of a reactor.
struct State {
    events: [k_poll_event; SLOTS],
    slots: [Slot; SLOTS],
    /// One past the highest slot in use: the length `k_poll` is given.
    len: usize,
    /// Registrations with an armed event.
    armed: usize,
}

/// One loop's reactor.
pub(crate) struct Reactor {
    signal: UnsafeCell<k_poll_signal>,
    state: UnsafeCell<State>,
    /// The loop's thread: the only one that may touch `state`.
    thread: usize,
}

// SAFETY: the signal is only touched through Zephyr's `k_poll_signal_*` calls, which are thread-
// and ISR-safe; `state` only on the loop's thread (see `state`).
unsafe impl Sync for Reactor {}

impl Reactor {
    /// A reactor for a loop on the calling thread; [`init`](Self::init) it once it is at its
    /// final address.
    pub(crate) fn new() -> Reactor {
        Reactor {
            // SAFETY: all-zero is a valid (uninitialised) k_poll_signal; `init` initialises it.
            signal: UnsafeCell::new(unsafe { core::mem::zeroed() }),
            state: UnsafeCell::new(State {
                // SAFETY: all-zero is a valid k_poll_event (type IGNORE, state NOT_READY).
                events: unsafe { core::mem::zeroed() },
                slots: [Slot::Free; SLOTS],
                len: 1,
                armed: 0,
            }),
            // SAFETY: a plain syscall with no arguments.
            thread: unsafe { k_current_get() } as usize,
        }
    }

    /// Initialises the signal and puts it in slot 0. The reactor never moves again (a loop,
    /// and its platform, live for the rest of the program).
    pub(crate) fn init(&'static self) {
        let signal = self.signal.get();
        // SAFETY: the signal is at its final address and nobody can raise it yet (no task of
        // the loop exists before the loop does).
        unsafe { k_poll_signal_init(signal) };
        self.with_state(|st| init_event(&mut st.events[0], ZR_POLL_TYPE_SIGNAL, signal.cast()));
    }

    /// The reactor of the loop running on this thread: `Err(Error::NoRunningLoop)` outside a
    /// running loop, `Err(Error::WrongLoop)` if that loop is not on a Zephyr platform.
    pub(crate) fn current() -> Result<&'static Reactor> {
        let lp = asyncio_core::get_running_loop().ok_or(Error::NoRunningLoop)?;
        let platform: &'static dyn Any = lp.platform();
        platform
            .downcast_ref::<crate::ZephyrPlatform>()
            .map(crate::ZephyrPlatform::reactor)
            .ok_or(Error::WrongLoop)
    }

    /// The loop-thread state, for the length of `f` (which must not call back into the
    /// reactor's state: registrations' and sources' code never does).
    fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        debug_assert_eq!(
            // SAFETY: a plain syscall with no arguments.
            unsafe { k_current_get() } as usize,
            self.thread,
            "asyncio: a reactor used off its loop's thread"
        );
        // SAFETY: only the loop's thread reaches the state (registrations are made through the
        // running loop, and the types holding them are not `Send`), never re-entrantly, and the
        // kernel touches the events only inside `k_poll`, while this thread is blocked there.
        f(unsafe { &mut *self.state.get() })
    }

    /// Takes `count` adjacent free slots for `source`, whose events start ignored. The source
    /// must stay where it is until the registration is dropped. `Err(Error::PoolFull)` when
    /// `CONFIG_ASYNCIO_POLL_EVENTS` slots are in use.
    pub(crate) fn register(
        &'static self,
        count: usize,
        source: NonNull<dyn Source>,
    ) -> Result<Registration> {
        let slot = self.with_state(|st| {
            let index = (1..=SLOTS.saturating_sub(count)).find(|&i| {
                st.slots[i..i + count]
                    .iter()
                    .all(|s| matches!(s, Slot::Free))
            })?;
            st.slots[index] = Slot::Head {
                source,
                count,
                armed: false,
            };
            for i in index..index + count {
                if i > index {
                    st.slots[i] = Slot::Tail;
                }
                ignore(&mut st.events[i]);
            }
            st.len = st.len.max(index + count);
            Some(index)
        });
        let slot = slot.ok_or(Error::PoolFull)?;
        REGISTERED.fetch_add(1, Ordering::Relaxed);
        Ok(Registration {
            reactor: self,
            slot,
            count,
        })
    }

    /// Raises the loop's signal: ends a `k_poll` in progress or makes the next return at once.
    /// Any context.
    pub(crate) fn raise(&self) {
        // SAFETY: ISR- and thread-safe Zephyr call on an initialised signal.
        unsafe { k_poll_signal_raise(self.signal.get(), 0) };
    }

    /// Blocks in `k_poll` on the signal and every armed event until one is ready or `timeout`
    /// passes; then dispatches the ready sources and resets the signal.
    pub(crate) fn park(&self, timeout: k_timeout_t) {
        self.poll(true, timeout);
    }

    /// Dispatches the sources that are ready now, without blocking: what a busy loop does once
    /// per round, so it still notices them (MicroPython polls I/O between tasks).
    pub(crate) fn poll_ready(&self) {
        if self.with_state(|st| st.armed > 0) {
            self.poll(false, K_NO_WAIT);
        }
    }

    fn poll(&self, with_signal: bool, timeout: k_timeout_t) {
        self.with_state(|st| {
            let first = usize::from(!with_signal);
            // SAFETY: the events stay valid and untouched by others for the call (see
            // `with_state`). The result (0, -EAGAIN, -EINTR) needs no handling: the states say
            // what is ready, and the loop re-checks its queues whatever woke it.
            unsafe { k_poll(&mut st.events[first], (st.len - first) as i32, timeout) };
            // Dispatch first: the loop still counts as parked, so the wakes raise the signal,
            // which the reset below takes back. A wake from elsewhere after the reset raises it
            // again; none is lost, the loop drains its queues next.
            st.dispatch();
            if with_signal {
                // SAFETY: as above; only the loop thread resets the signal.
                unsafe { k_poll_signal_reset(self.signal.get()) };
                st.events[0].set_state(K_POLL_STATE_NOT_READY);
            }
        });
    }
}

impl State {
    fn is_ready(&self, index: usize) -> bool {
        self.events[index].state() != K_POLL_STATE_NOT_READY
    }

    /// After a `k_poll`: calls back every source with a ready event.
    fn dispatch(&mut self) {
        for index in 1..self.len {
            let Slot::Head {
                source,
                count,
                armed,
            } = self.slots[index]
            else {
                continue;
            };
            if !(index..index + count).any(|i| self.is_ready(i)) {
                continue;
            }
            // SAFETY: a registered source stays put until its registration drops, which never
            // happens during a dispatch (only tasks drop registrations, in their polls).
            let still_armed =
                unsafe { source.as_ref() }.dispatch(&mut self.events[index..index + count]);
            self.set_armed(index, armed, still_armed);
        }
    }

    fn set_armed(&mut self, index: usize, was: bool, now: bool) {
        if let Slot::Head { armed, .. } = &mut self.slots[index] {
            *armed = now;
        }
        match (was, now) {
            (false, true) => self.armed += 1,
            (true, false) => self.armed -= 1,
            _ => {}
        }
    }
}

/// A source's slots in a reactor; given back when dropped.
pub(crate) struct Registration {
    reactor: &'static Reactor,
    slot: usize,
    count: usize,
}

impl Registration {
    /// The reactor the slots belong to (a socket checks it is waited on from its own loop).
    #[cfg(CONFIG_ASYNCIO_NET)]
    pub(crate) fn reactor(&self) -> &'static Reactor {
        self.reactor
    }

    /// Lets the source fill and arm its events (loop thread, outside `k_poll`); `f` returns
    /// whether any event is armed for the next `k_poll`.
    pub(crate) fn with_events<R>(&self, f: impl FnOnce(&mut [k_poll_event]) -> (bool, R)) -> R {
        self.reactor.with_state(|st| {
            let Slot::Head { armed: was, .. } = st.slots[self.slot] else {
                unreachable!("a registration's first slot is its head");
            };
            let (armed, result) = f(&mut st.events[self.slot..self.slot + self.count]);
            st.set_armed(self.slot, was, armed);
            result
        })
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.reactor.with_state(|st| {
            if let Slot::Head { armed, .. } = st.slots[self.slot] {
                st.set_armed(self.slot, armed, false);
            }
            for i in self.slot..self.slot + self.count {
                st.slots[i] = Slot::Free;
                ignore(&mut st.events[i]);
            }
            while st.len > 1 && matches!(st.slots[st.len - 1], Slot::Free) {
                st.len -= 1;
            }
        });
        REGISTERED.fetch_sub(1, Ordering::Relaxed);
    }
}
