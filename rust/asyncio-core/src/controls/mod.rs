//! Buttons, switches and encoders, as micropython-async's primitives (its `Pushbutton`,
//! `Switch` and `Encoder`, the most used of them), debounced and event-driven, over any
//! [`Contact`]: a Zephyr GPIO pin with an edge interrupt (`asyncio::gpio`), an input device, or
//! a test double.
//!
//! Nothing here polls: a control waits for its contact to report a possible change, lets the
//! contact settle for the debounce time, then reads it once. A storm of contact bounce (hundreds
//! of edges within a millisecond) therefore costs one wake-up and one read.

mod contact;
mod pushbutton;
mod quadrature;
mod switch;

pub use contact::Contact;
pub use pushbutton::{Press, Pushbutton};
pub use quadrature::Quadrature;
pub use switch::Switch;
