//! [`Notification`]: the wait of primitives whose waiters are released by a notification
//! (Event, Condition), as a [`Waiter`] policy. A notification handed to a waiter that goes
//! away instead of resuming (cancelled before or after the notify, but before it ran) passes
//! to the next waiter where the primitive counts them (Condition's `notify(n)`, as CPython
//! 3.13); Event notifies everyone anyway.

use super::waiter::{WaitPolicy, Waiter};
use crate::error::Result;
use crate::raw::wait_list::WaitList;
use crate::waiting::Waiting;

/// What a forfeited notification becomes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Forfeited {
    /// Nothing: every waiter was notified (Event).
    Lost,
    /// The next waiter's (Condition).
    PassedOn,
}

/// Waiting on `list` until notified.
#[doc(hidden)]
pub struct Notification<'a> {
    list: &'a WaitList,
    what: &'static str,
    forfeited: Forfeited,
}

impl<'a> Notification<'a> {
    /// The wait; `what` names the primitive in task listings.
    pub(crate) fn wait(
        list: &'a WaitList,
        what: &'static str,
        forfeited: Forfeited,
    ) -> Waiter<Notification<'a>> {
        Waiter::new(Notification {
            list,
            what,
            forfeited,
        })
    }
}

impl WaitPolicy for Notification<'_> {
    type Output = ();

    fn list(&self) -> &WaitList {
        self.list
    }

    fn waiting(&self) -> Waiting {
        Waiting::On(self.what)
    }

    fn try_now(&self) -> Result<Option<()>> {
        Ok(None)
    }

    fn accept(&self) {}

    fn forfeit(&self) {
        if self.forfeited == Forfeited::PassedOn {
            self.list.notify_one();
        }
    }
}
