//! The user's guide, `docs/guide/*.md`, compiled: each page is a module here, so every Rust
//! example in the guide is a doc test that `cargo test` builds and runs on the host. Examples
//! that only make sense on a Zephyr board are marked `ignore` in the page.

#![no_std]

#[doc = include_str!("../../../docs/guide/01-cooperative-scheduling.md")]
pub mod cooperative_scheduling {}

#[doc = include_str!("../../../docs/guide/02-coroutines-and-tasks.md")]
pub mod coroutines_and_tasks {}

#[doc = include_str!("../../../docs/guide/03-the-event-loop.md")]
pub mod the_event_loop {}

#[doc = include_str!("../../../docs/guide/04-gather.md")]
pub mod gather {}

#[doc = include_str!("../../../docs/guide/05-timeouts-and-cancellation.md")]
pub mod timeouts_and_cancellation {}

#[doc = include_str!("../../../docs/guide/06-exceptions.md")]
pub mod exceptions {}

#[doc = include_str!("../../../docs/guide/07-events.md")]
pub mod events {}

#[doc = include_str!("../../../docs/guide/08-locks.md")]
pub mod locks {}

#[doc = include_str!("../../../docs/guide/09-thread-safe-flag.md")]
pub mod thread_safe_flag {}

#[doc = include_str!("../../../docs/guide/10-custom-async-objects.md")]
pub mod custom_async_objects {}

#[doc = include_str!("../../../docs/guide/11-loop-control.md")]
pub mod loop_control {}

#[doc = include_str!("../../../docs/guide/12-frame-capture.md")]
pub mod frame_capture {}

#[doc = include_str!("../../../docs/guide/13-pitfalls.md")]
pub mod pitfalls {}

#[doc = include_str!("../../../docs/guide/14-networking.md")]
pub mod networking {}

#[doc = include_str!("../../../docs/guide/15-hardware.md")]
pub mod hardware {}

#[doc = include_str!("../../../docs/guide/16-structured-concurrency.md")]
pub mod structured_concurrency {}
