//! [`Pushbutton`]: short presses, long presses and double clicks from a bouncing contact
//! (micropython-async's `Pushbutton` with `suppress=True`: each press is one gesture).

extern crate alloc;

use alloc::rc::Rc;
use core::cell::Cell;
use core::marker::PhantomData;
use core::pin::pin;

use futures_util::future::{select, Either};

use super::contact::Contact;
use crate::context;
use crate::error::Result;
use crate::sleep::{sleep_ms, sleep_until};
use crate::sync::Queue;
use crate::task::{create_task, TaskRef};
use crate::time::{ms_to_ticks, Instant};

/// A gesture of a [`Pushbutton`].
///
/// ```
/// use asyncio_core::{Contact, Press, Pushbutton};
///
/// async fn menu<C: Contact>(button: &Pushbutton<C>) -> asyncio_core::Result<&'static str> {
///     Ok(match button.next().await? {
///         Press::Short => "next item",
///         Press::Long => "back",
///         Press::Double => "select",
///     })
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Press {
    /// Pressed and released, neither held for the long time nor followed by a second press
    /// within the double-click time (reported once that time has passed, so that a double
    /// click is not also two short presses).
    Short,
    /// Held for the long time: reported while still held, as the time is reached; its
    /// release reports nothing.
    Long,
    /// A second press within the double-click time of the first: reported at that press; its
    /// release reports nothing.
    Double,
}

/// A debounced pushbutton: awaiting [`next`](Pushbutton::next) yields its gestures.
///
/// The contact may bounce as it likes: a change is acted on once it has settled for the
/// debounce time (50 ms), and what it settled to is read once. The defaults are
/// micropython-async's: a long press is 1000 ms, a double click two presses within 400 ms;
/// `long_ms(0)` or `double_ms(0)` turns either off (without double clicks, a short press is
/// reported at its release).
///
/// As micropython-async's, a pushbutton has a task of its own that watches the contact all the
/// time, so no gesture is missed while nobody awaits `next`: gestures wait in a queue of
/// [`QUEUED`](Pushbutton::QUEUED) (more are counted by [`missed`](Pushbutton::missed)). Dropping
/// the pushbutton ends that task and drops the contact.
///
/// ```
/// use asyncio_core::{
///     create_task, run, sleep_ms, Contact, Error, Press, Pushbutton, Result, ThreadSafeFlag,
/// };
/// use std::cell::Cell;
/// use std::rc::Rc;
///
/// /// A button the test presses by hand (a real one is a GPIO pin: `asyncio::gpio`). Its
/// /// edges latch in a ThreadSafeFlag, as an interrupt's do: one that comes before anybody
/// /// waits is not lost.
/// #[derive(Clone, Default)]
/// struct Finger(Rc<(Cell<bool>, ThreadSafeFlag)>);
///
/// impl Finger {
///     fn set(&self, down: bool) {
///         self.0 .0.set(down);
///         self.0 .1.set(); // the edge interrupt
///     }
/// }
///
/// impl Contact for Finger {
///     fn is_active(&self) -> bool {
///         self.0 .0.get()
///     }
///     async fn changed(&mut self) -> Result<()> {
///         self.0 .1.wait().await
///     }
/// }
///
/// let finger = Finger::default();
/// let out = run({
///     let finger = finger.clone();
///     async move {
///         let button = Pushbutton::new(finger.clone()).long_ms(1000).double_ms(400);
///         let gestures = create_task(async move {
///             let mut seen = Vec::new();
///             for _ in 0..3 {
///                 seen.push(button.next().await?);
///             }
///             Ok::<_, Error>(seen)
///         });
///         for (down, ms) in [(true, 100), (false, 1000), (true, 1500), (false, 500)] {
///             finger.set(down);
///             sleep_ms(ms).await?;
///         }
///         for (down, ms) in [(true, 100), (false, 100), (true, 100), (false, 500)] {
///             finger.set(down);
///             sleep_ms(ms).await?;
///         }
///         gestures.await
///     }
/// });
/// assert_eq!(out.unwrap(), Ok(vec![Press::Short, Press::Long, Press::Double]));
/// ```
pub struct Pushbutton<C: Contact + 'static> {
    shared: Rc<Shared>,
    watcher: TaskRef,
    _contact: PhantomData<C>,
}

/// What a pushbutton and its watching task share.
struct Shared {
    debounce_ms: Cell<u32>,
    long_ms: Cell<u32>,
    double_ms: Cell<u32>,
    /// The debounced level: pressed or not.
    pressed: Cell<bool>,
    gestures: Queue<Press>,
    missed: Cell<u32>,
}

impl<C: Contact + 'static> Pushbutton<C> {
    /// How many gestures wait for `next` before more are counted as missed.
    pub const QUEUED: usize = 8;

    /// A pushbutton on `contact`, with micropython-async's times (50 ms debounce, 1000 ms long
    /// press, 400 ms double click), watched by a task on the current loop from now on. Its
    /// state starts as the contact reads now.
    ///
    /// ```
    /// use asyncio_core::{Contact, Pushbutton};
    ///
    /// // On the running loop: the pushbutton's watching task starts here.
    /// fn button<C: Contact>(contact: C) -> Pushbutton<C> {
    ///     Pushbutton::new(contact)
    /// }
    /// ```
    pub fn new(contact: C) -> Self {
        let shared = Rc::new(Shared {
            debounce_ms: Cell::new(50),
            long_ms: Cell::new(1000),
            double_ms: Cell::new(400),
            pressed: Cell::new(contact.is_active()),
            gestures: Queue::new(Self::QUEUED),
            missed: Cell::new(0),
        });
        let watcher = create_task(watch(contact, shared.clone()));
        watcher.set_name("pushbutton");
        Pushbutton {
            shared,
            watcher: watcher.to_ref(),
            _contact: PhantomData,
        }
    }

    /// How long the contact must be still before a change counts.
    ///
    /// ```
    /// use asyncio_core::{Contact, Pushbutton};
    ///
    /// fn crisp<C: Contact>(contact: C) -> Pushbutton<C> {
    ///     Pushbutton::new(contact).debounce_ms(20) // a tactile switch that settles fast
    /// }
    /// ```
    pub fn debounce_ms(self, ms: u32) -> Self {
        self.shared.debounce_ms.set(ms);
        self
    }

    /// How long a press must be held to be a long press; 0: no long presses.
    ///
    /// ```
    /// use asyncio_core::{Contact, Pushbutton};
    ///
    /// fn power_button<C: Contact>(contact: C) -> Pushbutton<C> {
    ///     Pushbutton::new(contact).long_ms(3000) // hold 3 s to switch off
    /// }
    /// ```
    pub fn long_ms(self, ms: u32) -> Self {
        self.shared.long_ms.set(ms);
        self
    }

    /// How soon a second press must follow for a double click; 0: no double clicks.
    ///
    /// ```
    /// use asyncio_core::{Contact, Pushbutton};
    ///
    /// // No double clicks: a short press is reported at its release, without waiting 400 ms.
    /// fn snappy<C: Contact>(contact: C) -> Pushbutton<C> {
    ///     Pushbutton::new(contact).double_ms(0)
    /// }
    /// ```
    pub fn double_ms(self, ms: u32) -> Self {
        self.shared.double_ms.set(ms);
        self
    }

    /// Whether the button is held, as debounced.
    pub fn is_pressed(&self) -> bool {
        self.shared.pressed.get()
    }

    /// Gestures lost because [`QUEUED`](Self::QUEUED) were already waiting for `next`.
    pub fn missed(&self) -> u32 {
        self.shared.missed.get()
    }

    /// The next gesture, oldest first. Cancel-safe: a gesture is only taken by a call that
    /// returns it.
    ///
    /// ```
    /// use asyncio_core::{Contact, Press, Pushbutton};
    ///
    /// async fn count_long_presses<C: Contact>(button: &Pushbutton<C>) -> asyncio_core::Result<u32> {
    ///     let mut long = 0;
    ///     while long < 3 {
    ///         if button.next().await? == Press::Long {
    ///             long += 1;
    ///         }
    ///     }
    ///     Ok(long)
    /// }
    /// ```
    pub async fn next(&self) -> Result<Press> {
        self.shared.gestures.get().await
    }
}

impl<C: Contact + 'static> Drop for Pushbutton<C> {
    fn drop(&mut self) {
        // The watcher owns the contact: dropping it now releases the contact (its interrupt).
        self.watcher.abort();
    }
}

/// The watching task: the debounce and gesture state machine over the contact.
async fn watch<C: Contact>(mut contact: C, shared: Rc<Shared>) -> Result<()> {
    let mut gestures = Gestures {
        shared: &shared,
        long_at: None,
        double_until: None,
        short_pending: false,
        release_reported: shared.pressed.get(), // held at start: its release is no gesture
    };
    loop {
        // Only one of the two is set at a time: a press is held, or a click awaits its
        // double-click window's end.
        let deadline = gestures
            .long_at
            .or(gestures.double_until.filter(|_| gestures.short_pending));
        if changed_before(&mut contact, deadline).await? {
            let debounce = shared.debounce_ms.get();
            if debounce > 0 {
                sleep_ms(debounce).await?;
            }
            gestures.settled(contact.is_active(), now());
        } else {
            gestures.time_passed(now());
        }
    }
}

/// Waits for a possible change of the contact (true) or for `deadline` (false).
async fn changed_before<C: Contact>(contact: &mut C, deadline: Option<Instant>) -> Result<bool> {
    let Some(deadline) = deadline else {
        contact.changed().await?;
        return Ok(true);
    };
    match select(pin!(contact.changed()), pin!(sleep_until(deadline))).await {
        Either::Left((changed, _)) => changed.map(|()| true),
        Either::Right((due, _)) => due.map(|()| false),
    }
}

/// The gesture state of a pushbutton, kept by its watching task.
struct Gestures<'a> {
    shared: &'a Shared,
    /// While held: when it becomes a long press (until reported).
    long_at: Option<Instant>,
    /// After a press: until when a second press makes a double click.
    double_until: Option<Instant>,
    /// Released after a short press, within the double-click time: a `Short` unless a second
    /// press comes first.
    short_pending: bool,
    /// The next release ends a gesture already reported (a long press, a double click).
    release_reported: bool,
}

impl Gestures<'_> {
    fn report(&self, press: Press) {
        if self.shared.gestures.put_nowait(press).is_err() {
            self.shared.missed.set(self.shared.missed.get() + 1);
        }
    }

    /// The contact settled to `pressed` at `now`.
    fn settled(&mut self, pressed: bool, now: Instant) {
        if pressed == self.shared.pressed.get() {
            return; // bounce that settled back
        }
        // A gesture that fell due while the contact settled happened before this change.
        self.time_passed(now);
        self.shared.pressed.set(pressed);
        if pressed {
            self.pressed_at(now);
        } else {
            self.released(now);
        }
    }

    fn pressed_at(&mut self, now: Instant) {
        if self.short_pending && self.double_until.is_some_and(|until| now < until) {
            // The second press of a double click.
            self.short_pending = false;
            self.double_until = None;
            self.release_reported = true;
            self.report(Press::Double);
            return;
        }
        self.release_reported = false;
        let (long_ms, double_ms) = (self.shared.long_ms.get(), self.shared.double_ms.get());
        self.long_at = (long_ms > 0).then(|| after(now, long_ms));
        self.double_until = (double_ms > 0).then(|| after(now, double_ms));
    }

    fn released(&mut self, now: Instant) {
        self.long_at = None;
        if core::mem::take(&mut self.release_reported) {
            return;
        }
        if self.double_until.is_some_and(|until| now < until) {
            self.short_pending = true; // a Short, unless a second press comes in time
            return;
        }
        self.double_until = None;
        self.report(Press::Short);
    }

    /// Reports the gesture the passing of time made, if any: a press held long enough, or a
    /// click whose double-click window ended.
    fn time_passed(&mut self, now: Instant) {
        if self.long_at.is_some_and(|at| now >= at) {
            self.long_at = None;
            self.double_until = None;
            self.release_reported = true;
            self.report(Press::Long);
        } else if self.short_pending && self.double_until.is_some_and(|until| now >= until) {
            self.short_pending = false;
            self.double_until = None;
            self.report(Press::Short);
        }
    }
}

fn now() -> Instant {
    context::current_loop().now()
}

/// `ms` milliseconds after `t`, on the loop's clock.
fn after(t: Instant, ms: u32) -> Instant {
    let hz = context::current_loop().platform().ticks_per_second();
    t.add_ticks(ms_to_ticks(u64::from(ms), hz))
}
