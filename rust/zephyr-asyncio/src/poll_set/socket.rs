//! Sockets in the poll set.
//!
//! A socket's readiness is not one kernel object: the socket layer hands out the k_poll events
//! for it through the fd table's `POLL_PREPARE` hook and reads them back through `POLL_UPDATE`,
//! as `zsock_poll()` does (`c/sockets.c`). Native sockets use one event per direction;
//! native_sim's offloaded sockets (NSOS) one per socket, and they keep one registration per
//! socket, so a socket takes one entry for both directions: [`EVENTS`] adjacent slots, a
//! reader's and a writer's waker, prepared for whichever of them are waiting.
//!
//! Every prepare is matched by exactly one update (the socket layer links its registration on
//! prepare and unlinks it on update): when `k_poll` reports the socket, when the interest
//! changes, and when the socket is closed.

use core::ffi::c_int;
use core::task::Waker;

use zephyr_asyncio_sys as sys;

use super::{Entry, PollSet, Slot};

/// Slots a socket takes: the most events a socket's prepare hook uses (native TCP: one per
/// direction).
pub(crate) const EVENTS: usize = 2;

/// Which way a task waits on a socket.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Direction {
    Read = 0,
    Write = 1,
}

/// What arming a socket wait found.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Readiness {
    /// The socket's events are in the next `k_poll`; the task is woken when they fire.
    Waiting,
    /// The socket is ready (or failed) already: retry the operation now.
    ReadyNow,
    /// The socket cannot join `k_poll` (an offloaded socket without poll hooks).
    NotPollable,
}

/// The poll-set entry of a socket.
pub(super) struct SocketEntry {
    fd: c_int,
    /// Indexed by [`Direction`].
    wakers: [Option<Waker>; 2],
    /// The `ZSOCK_POLL*` interest its events are prepared for; 0 when not prepared.
    prepared: c_int,
}

impl SocketEntry {
    fn interest(&self) -> c_int {
        let mut interest = 0;
        if self.wakers[Direction::Read as usize].is_some() {
            interest |= sys::ASYNCIO_SOCKET_POLLIN as c_int;
        }
        if self.wakers[Direction::Write as usize].is_some() {
            interest |= sys::ASYNCIO_SOCKET_POLLOUT as c_int;
        }
        interest
    }

    /// Wakes the waiters of the directions in `revents` (both on an error or hang-up).
    fn wake(&mut self, revents: c_int) {
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

impl PollSet {
    fn socket(&mut self, index: usize) -> &mut SocketEntry {
        match &mut self.entries[index] {
            Entry::Socket(entry) => entry,
            _ => unreachable!("slot {index} holds no socket"),
        }
    }

    /// Reserves [`EVENTS`] slots for waiting on socket `fd`.
    pub(crate) fn claim_socket(&mut self, fd: c_int) -> Option<Slot> {
        let entry = SocketEntry {
            fd,
            wakers: [None, None],
            prepared: 0,
        };
        self.claim_run(EVENTS, Entry::Socket(entry), || Entry::SocketTail)
    }

    /// Ends the socket's preparation, if any; returns the update's result and the ready bits.
    fn unprepare(&mut self, index: usize) -> (c_int, c_int) {
        let entry = self.socket(index);
        let (fd, prepared) = (entry.fd, entry.prepared);
        if prepared == 0 {
            return (0, 0);
        }
        entry.prepared = 0;
        self.armed -= 1;
        let mut revents = 0;
        // SAFETY: the events were prepared for this fd by `prepare` and k_poll is not running
        // (loop thread).
        let result = unsafe {
            sys::asyncio_socket_poll_update(fd, prepared, &mut self.events[index], &mut revents)
        };
        for i in index..index + EVENTS {
            self.ignore_event(i);
        }
        (result, revents)
    }

    /// Prepares the socket's events for the interest of its current waiters (after ending any
    /// earlier preparation).
    fn prepare(&mut self, index: usize) -> Prepared {
        self.unprepare(index);
        let entry = self.socket(index);
        let (fd, interest) = (entry.fd, entry.interest());
        if interest == 0 {
            return Prepared::Yes;
        }
        // SAFETY: `EVENTS` events from `index` belong to this entry; k_poll is not running.
        let result = unsafe {
            sys::asyncio_socket_poll_prepare(fd, interest, &mut self.events[index], EVENTS as c_int)
        };
        if result == 0 || classify(result) == sys::asyncio_socket_error_ASYNCIO_SOCKET_READY_NOW {
            self.socket(index).prepared = interest;
            self.armed += 1;
        }
        match classify(result) {
            _ if result == 0 => Prepared::Yes,
            sys::asyncio_socket_error_ASYNCIO_SOCKET_NOT_POLLABLE => Prepared::NotPollable,
            // Ready already, or the socket failed: the waiters' next attempt tells which.
            _ => {
                self.unprepare(index);
                Prepared::ReadyNow
            }
        }
    }

    /// Re-prepares for the remaining waiters; if that finds the socket ready (or unpollable),
    /// wakes them all to retry.
    fn reprepare_or_wake(&mut self, index: usize) {
        if !matches!(self.prepare(index), Prepared::Yes) {
            self.socket(index).wake(!0);
        }
    }

    /// Waits on the socket in `slot` for `direction` with `waker`.
    pub(crate) fn arm_socket(
        &mut self,
        slot: Slot,
        direction: Direction,
        waker: &Waker,
    ) -> Readiness {
        let entry = self.socket(slot.0);
        entry.wakers[direction as usize] = Some(waker.clone());
        if entry.prepared == entry.interest() {
            return Readiness::Waiting;
        }
        let outcome = self.prepare(slot.0);
        let entry = self.socket(slot.0);
        match outcome {
            Prepared::Yes => Readiness::Waiting,
            Prepared::ReadyNow => {
                entry.wakers[direction as usize] = None;
                entry.wake(!0);
                Readiness::ReadyNow
            }
            Prepared::NotPollable => {
                entry.wakers[direction as usize] = None;
                Readiness::NotPollable
            }
        }
    }

    /// Stops waiting on the socket in `slot` for `direction`. Whether a task still waits on it
    /// (the other direction).
    pub(crate) fn disarm_socket(&mut self, slot: Slot, direction: Direction) -> bool {
        let entry = self.socket(slot.0);
        entry.wakers[direction as usize] = None;
        let interest = entry.interest();
        if entry.prepared != 0 && entry.prepared != interest {
            self.reprepare_or_wake(slot.0);
        }
        interest != 0
    }

    /// After a `k_poll`: if the socket's events fired, wakes the waiters of the ready
    /// directions and re-prepares for the others.
    pub(super) fn dispatch_socket(&mut self, index: usize) {
        let fired = (index..index + super::socket::EVENTS).any(|i| self.is_ready(i));
        if self.socket(index).prepared == 0 || !fired {
            return;
        }
        let (result, revents) = self.unprepare(index);
        let ready = match result {
            0 => revents,
            // Not really ready (another reader took the data): wait again.
            r if classify(r) == sys::asyncio_socket_error_ASYNCIO_SOCKET_WOULD_BLOCK => 0,
            // The socket failed: let every waiter find out.
            _ => !0,
        };
        self.socket(index).wake(ready);
        self.reprepare_or_wake(index);
    }

    /// The socket is being given back: ends its preparation and wakes its waiters.
    pub(super) fn close_socket(&mut self, index: usize) {
        self.unprepare(index);
        self.socket(index).wake(!0);
    }
}
