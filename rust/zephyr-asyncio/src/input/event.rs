//! [`InputEvent`]: one event of Zephyr's input subsystem.

/// What an event reports (Zephyr's `INPUT_EV_*`).
///
/// ```
/// use asyncio::input::{EventKind, InputEvent};
///
/// fn is_press(e: &InputEvent) -> bool {
///     e.kind == EventKind::Key && e.value == 1
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// A key or button (`INPUT_EV_KEY`): `value` 1 pressed, 0 released.
    Key,
    /// A relative axis (`INPUT_EV_REL`): a wheel, an encoder.
    Relative,
    /// An absolute axis (`INPUT_EV_ABS`): a touch position, a joystick.
    Absolute,
    /// Anything else (`INPUT_EV_MSC`, vendor types), by number.
    Other(u8),
}

impl EventKind {
    /// The kind of Zephyr event type `raw`.
    ///
    /// ```
    /// use asyncio::input::EventKind;
    ///
    /// fn show() {
    ///     assert_eq!(EventKind::from_raw(1), EventKind::Key); // INPUT_EV_KEY
    ///     assert_eq!(EventKind::from_raw(0xf0), EventKind::Other(0xf0));
    /// }
    /// ```
    pub const fn from_raw(raw: u8) -> EventKind {
        match raw {
            0x01 => EventKind::Key,
            0x02 => EventKind::Relative,
            0x03 => EventKind::Absolute,
            other => EventKind::Other(other),
        }
    }
}

/// One input event: its kind, code (`INPUT_KEY_*`, `INPUT_BTN_*`, `INPUT_ABS_*`...), value, and
/// whether it ends a report (`sync`: the last of a touch's X and Y, say).
///
/// ```no_run
/// use asyncio::input::{EventKind, InputEvents};
///
/// /// The next touch position: an X and a Y, the report ending at the sync.
/// async fn touch(events: &mut InputEvents) -> asyncio::Result<(i32, i32)> {
///     let (mut x, mut y) = (0, 0);
///     loop {
///         let e = events.next().await?;
///         match (e.kind, e.code) {
///             (EventKind::Absolute, 0) => x = e.value, // INPUT_ABS_X
///             (EventKind::Absolute, 1) => y = e.value, // INPUT_ABS_Y
///             _ => {}
///         }
///         if e.sync {
///             return Ok((x, y));
///         }
///     }
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputEvent {
    /// What it reports.
    pub kind: EventKind,
    /// Which key or axis.
    pub code: u16,
    /// The key's state or the axis' value.
    pub value: i32,
    /// Whether it is the last event of a report.
    pub sync: bool,
}
