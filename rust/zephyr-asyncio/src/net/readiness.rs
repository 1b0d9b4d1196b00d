//! A socket's readiness in the loop's reactor: the socket as a reactor [`Source`].
//!
//! A socket's readiness is not one kernel object: the socket layer hands out the k_poll events
//! for it through the fd table's `POLL_PREPARE` hook and reads them back through `POLL_UPDATE`,
//! as `zsock_poll()` does (`c/sockets.c`). Native sockets use one event per direction;
//! native_sim's offloaded sockets (NSOS) one per socket, and they keep one registration per
//! socket, so a socket takes one registration for both directions: [`EVENTS`] adjacent slots,
//! a reader's and a writer's waker, prepared for whichever of them are waiting.
//!
//! Every prepare is matched by exactly one update (the socket layer links its registration on
//! prepare and unlinks it on update): when `k_poll` reports the socket, when the interest
//! changes, and when the socket is closed.

use core::cell::Cell;
use core::ffi::c_int;
use core::task::Waker;

use zephyr::raw::k_poll_event;
use zephyr_asyncio_sys as sys;

use crate::reactor::{ignore, Registration, Source};

/// Slots a socket takes: the most events a socket's prepare hook uses (native TCP: one per
/// direction).
pub(super) const EVENTS: usize = 2;

/// Which way a task waits on a socket.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Direction {
    Read = 0,
    Write = 1,
}

/// What arming a socket wait found.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Readiness {
    /// The socket's events are in the next `k_poll`; the task is woken when they fire.
    Waiting,
    /// The socket is ready (or failed) already: retry the operation now.
    ReadyNow,
    /// The socket cannot join `k_poll` (an offloaded socket without poll hooks).
    NotPollable,
}

/// How a prepare went.
enum Prepared {
    Yes,
    ReadyNow,
    NotPollable,
}

fn classify(result: c_int) -> sys::asyncio_socket_error {
    // SAFETY: a pure function.
    unsafe { sys::asyncio_socket_classify(result) }
}

/// A socket as a reactor source: its waiters and what its events are prepared for.
pub(super) struct SocketSource {
    fd: c_int,
    /// Indexed by [`Direction`].
    wakers: [Cell<Option<Waker>>; 2],
    /// The `ZSOCK_POLL*` interest its events are prepared for; 0 when not prepared.
    prepared: Cell<c_int>,
}

impl SocketSource {
    pub(super) fn new(fd: c_int) -> Self {
        SocketSource {
            fd,
            wakers: [Cell::new(None), Cell::new(None)],
            prepared: Cell::new(0),
        }
    }

    fn waits(&self, direction: Direction) -> bool {
        let waker = self.wakers[direction as usize].take();
        let waits = waker.is_some();
        self.wakers[direction as usize].set(waker);
        waits
    }

    fn interest(&self) -> c_int {
        let mut interest = 0;
        if self.waits(Direction::Read) {
            interest |= sys::ASYNCIO_SOCKET_POLLIN as c_int;
        }
        if self.waits(Direction::Write) {
            interest |= sys::ASYNCIO_SOCKET_POLLOUT as c_int;
        }
        interest
    }

    /// Wakes the waiters of the directions in `revents` (both on an error or hang-up).
    fn wake(&self, revents: c_int) {
        // SAFETY: a constant.
        let error = revents & unsafe { sys::asyncio_socket_pollerr } != 0;
        for (direction, bit) in [
            (Direction::Read, sys::ASYNCIO_SOCKET_POLLIN),
            (Direction::Write, sys::ASYNCIO_SOCKET_POLLOUT),
        ] {
            if error || revents & bit as c_int != 0 {
                if let Some(waker) = self.wakers[direction as usize].take() {
                    asyncio_core::wake_io(waker);
                }
            }
        }
    }

    fn is_armed(&self) -> bool {
        self.prepared.get() != 0
    }

    /// Ends the socket's preparation, if any; returns the update's result and the ready bits.
    fn unprepare(&self, events: &mut [k_poll_event]) -> (c_int, c_int) {
        let prepared = self.prepared.replace(0);
        if prepared == 0 {
            return (0, 0);
        }
        let mut revents = 0;
        // SAFETY: the events were prepared for this fd by `prepare` and k_poll is not running
        // (loop thread).
        let result = unsafe {
            sys::asyncio_socket_poll_update(self.fd, prepared, &mut events[0], &mut revents)
        };
        events.iter_mut().for_each(ignore);
        (result, revents)
    }

    /// Prepares the socket's events for the interest of its current waiters (after ending any
    /// earlier preparation).
    fn prepare(&self, events: &mut [k_poll_event]) -> Prepared {
        self.unprepare(events);
        let interest = self.interest();
        if interest == 0 {
            return Prepared::Yes;
        }
        // SAFETY: the `EVENTS` events belong to this registration; k_poll is not running.
        let result = unsafe {
            sys::asyncio_socket_poll_prepare(self.fd, interest, &mut events[0], EVENTS as c_int)
        };
        if result == 0 || classify(result) == sys::asyncio_socket_error_ASYNCIO_SOCKET_READY_NOW {
            self.prepared.set(interest);
        }
        match classify(result) {
            _ if result == 0 => Prepared::Yes,
            sys::asyncio_socket_error_ASYNCIO_SOCKET_NOT_POLLABLE => Prepared::NotPollable,
            // Ready already, or the socket failed: the waiters' next attempt tells which.
            _ => {
                self.unprepare(events);
                Prepared::ReadyNow
            }
        }
    }

    /// Re-prepares for the remaining waiters; if that finds the socket ready (or unpollable),
    /// wakes them all to retry.
    fn reprepare_or_wake(&self, events: &mut [k_poll_event]) {
        if !matches!(self.prepare(events), Prepared::Yes) {
            self.wake(!0);
        }
    }

    /// Waits on the socket for `direction` with `waker`.
    pub(super) fn arm(
        &self,
        registration: &Registration,
        direction: Direction,
        waker: &Waker,
    ) -> Readiness {
        self.wakers[direction as usize].set(Some(waker.clone()));
        if self.prepared.get() == self.interest() {
            return Readiness::Waiting;
        }
        let prepared = registration.with_events(|events| {
            let prepared = self.prepare(events);
            (self.is_armed(), prepared)
        });
        match prepared {
            Prepared::Yes => Readiness::Waiting,
            Prepared::ReadyNow => {
                self.wakers[direction as usize].set(None);
                self.wake(!0);
                Readiness::ReadyNow
            }
            Prepared::NotPollable => {
                self.wakers[direction as usize].set(None);
                Readiness::NotPollable
            }
        }
    }

    /// Stops waiting on the socket for `direction`. Whether a task still waits on it (the
    /// other direction).
    pub(super) fn disarm(&self, registration: &Registration, direction: Direction) -> bool {
        self.wakers[direction as usize].set(None);
        let interest = self.interest();
        let prepared = self.prepared.get();
        if prepared != 0 && prepared != interest {
            registration.with_events(|events| {
                self.reprepare_or_wake(events);
                (self.is_armed(), ())
            });
        }
        interest != 0
    }

    /// The socket is being closed: ends its preparation and wakes its waiters.
    pub(super) fn close(&self, registration: &Registration) {
        registration.with_events(|events| {
            self.unprepare(events);
            (false, ())
        });
        self.wake(!0);
    }
}

impl Source for SocketSource {
    /// The socket's events fired: wakes the waiters of the ready directions and re-prepares
    /// for the others.
    fn dispatch(&self, events: &mut [k_poll_event]) -> bool {
        if self.prepared.get() == 0 {
            return false;
        }
        let (result, revents) = self.unprepare(events);
        let ready = match result {
            0 => revents,
            // Not really ready (another reader took the data): wait again.
            r if classify(r) == sys::asyncio_socket_error_ASYNCIO_SOCKET_WOULD_BLOCK => 0,
            // The socket failed: let every waiter find out.
            _ => !0,
        };
        self.wake(ready);
        self.reprepare_or_wake(events);
        self.is_armed()
    }
}
