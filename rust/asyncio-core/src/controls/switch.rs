//! [`Switch`]: a debounced two-state contact (micropython-async's `Switch`).

use super::contact::Contact;
use crate::error::Result;
use crate::sleep::sleep_ms;

/// A debounced switch (a reed contact, a limit switch, a toggle): awaiting
/// [`next`](Switch::next) yields each change of its state once it has settled.
///
/// ```
/// use asyncio_core::{create_task, run, sleep_ms, Contact, Error, Result, Switch, ThreadSafeFlag};
/// use std::cell::Cell;
/// use std::rc::Rc;
///
/// #[derive(Clone, Default)]
/// struct Door(Rc<(Cell<bool>, ThreadSafeFlag)>); // the level, and its edges latched
///
/// impl Contact for Door {
///     fn is_active(&self) -> bool {
///         self.0 .0.get()
///     }
///     async fn changed(&mut self) -> Result<()> {
///         self.0 .1.wait().await
///     }
/// }
///
/// let door = Door::default();
/// let out = run({
///     let door = door.clone();
///     async move {
///         let mut switch = Switch::new(door.clone());
///         let watcher = create_task(async move { switch.next().await });
///         sleep_ms(10).await?;
///         for level in [true, false, true] {
///             // Contact bounce: three edges within a millisecond, settling closed.
///             door.0 .0.set(level);
///             door.0 .1.set();
///         }
///         watcher.await
///     }
/// });
/// assert_eq!(out.unwrap(), Ok(true)); // closed, reported once
/// ```
pub struct Switch<C> {
    contact: C,
    debounce_ms: u32,
    closed: bool,
}

impl<C: Contact> Switch<C> {
    /// A switch on `contact` with a 50 ms debounce; its state starts as the contact reads now.
    ///
    /// ```
    /// use asyncio_core::{Contact, Switch};
    ///
    /// fn door<C: Contact>(reed_contact: C) -> Switch<C> {
    ///     Switch::new(reed_contact)
    /// }
    /// ```
    pub fn new(contact: C) -> Self {
        let closed = contact.is_active();
        Switch {
            contact,
            debounce_ms: 50,
            closed,
        }
    }

    /// How long the contact must be still before a change counts.
    ///
    /// ```
    /// use asyncio_core::{Contact, Switch};
    ///
    /// fn limit_switch<C: Contact>(contact: C) -> Switch<C> {
    ///     Switch::new(contact).debounce_ms(5) // a fast axis: react within 5 ms
    /// }
    /// ```
    pub fn debounce_ms(mut self, ms: u32) -> Self {
        self.debounce_ms = ms;
        self
    }

    /// Whether the switch is closed, as debounced.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The switch's next state: `true` once it has closed, `false` once it has opened.
    ///
    /// ```
    /// use asyncio_core::{Contact, Switch};
    ///
    /// async fn log_door<C: Contact>(mut door: Switch<C>) -> asyncio_core::Result<()> {
    ///     loop {
    ///         let closed = door.next().await?;
    ///         println!("door {}", if closed { "closed" } else { "open" });
    ///     }
    /// }
    /// ```
    pub async fn next(&mut self) -> Result<bool> {
        loop {
            self.contact.changed().await?;
            if self.debounce_ms > 0 {
                sleep_ms(self.debounce_ms).await?;
            }
            let closed = self.contact.is_active();
            if closed != self.closed {
                self.closed = closed;
                return Ok(closed);
            }
        }
    }
}
