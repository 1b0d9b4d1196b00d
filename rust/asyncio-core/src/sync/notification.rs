//! [`Notification`]: the wait of primitives whose waiters are released by a notification
//! (Event, Condition), as a [`Waiter`] policy.

use super::waiter::{WaitPolicy, Waiter};
use crate::error::Result;
use crate::raw::wait_list::WaitList;
use crate::waiting::Waiting;

/// Waiting on `list` until notified.
#[doc(hidden)]
pub struct Notification<'a> {
    list: &'a WaitList,
    what: &'static str,
}

impl<'a> Notification<'a> {
    /// The wait; `what` names the primitive in task listings.
    pub(crate) fn wait(list: &'a WaitList, what: &'static str) -> Waiter<Notification<'a>> {
        Waiter::new(Notification { list, what })
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
}
