//! The user's guide, `docs/guide/*.md`, compiled: each page is a module here, so every Rust
//! example in the guide is a doc test that `cargo test` builds and runs on the host. Examples
//! that only make sense on a Zephyr board are marked `ignore` in the page.

#![no_std]

#[doc = include_str!("../../../docs/guide/10-custom-async-objects.md")]
pub mod custom_async_objects {}
