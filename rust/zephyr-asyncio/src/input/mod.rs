//! The events of Zephyr's input subsystem, awaited: how current Zephyr boards describe their
//! buttons (gpio-keys, with the devicetree's `debounce-interval-ms`), touch controllers and
//! keyboard matrices. Enabled by `CONFIG_ASYNCIO_INPUT` (on by default with `CONFIG_INPUT`).
//!
//! | MicroPython / Zephyr C | here |
//! |---|---|
//! | `INPUT_CALLBACK_DEFINE(dev, cb, NULL)` and a queue to a thread | `InputEvents::from_dt(dt_node!(buttons))?` |
//! | the callback's `evt->type`, `code`, `value` | `let e = events.next().await?;` `e.kind`, `e.code`, `e.value` |
//!
//! One input callback (in C: the subsystem registers callbacks with a macro) hands each event
//! to every open stream that wants it: a stream keeps up to `CONFIG_ASYNCIO_INPUT_QUEUE` events
//! for a task that is not reading; beyond that they are dropped and counted, and the reader
//! gets `Err(Error::Overrun { lost })` where they are missing. A gpio-keys node debounces its
//! keys in its driver, so `Press`-style gestures are for raw pins
//! ([`Pushbutton`](crate::Pushbutton) over [`gpio::InputPin`](crate::gpio::InputPin)); with
//! the input subsystem, its events are the presses and releases.
//!
//! ```no_run
//! use asyncio::input::{EventKind, InputEvents};
//! use asyncio::dt_node;
//!
//! async fn keys() -> asyncio::Result<()> {
//!     // `buttons { compatible = "gpio-keys"; debounce-interval-ms = <30>; button_0 { ... }; };`
//!     let mut events = InputEvents::from_dt(dt_node!(buttons))?;
//!     loop {
//!         let e = events.next().await?;
//!         if e.kind == EventKind::Key {
//!             log::info!("key {} {}", e.code, if e.value != 0 { "down" } else { "up" });
//!         }
//!     }
//! }
//! ```

mod event;
mod stream;

pub use event::{EventKind, InputEvent};
pub use stream::{open_streams, InputEvents, QUEUED};
