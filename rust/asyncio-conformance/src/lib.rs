//! MicroPython's asyncio test suite (`tests/extmod/asyncio_*.py`), ported to Rust: one module
//! per test in [`cases`], each printing the sequence the original prints and checked against
//! it. Where the original has a `.exp` file that is MicroPython's output; otherwise CPython's.
//! Where a port prints something else on purpose, its module says why and
//! `docs/semantics.md` lists it.
//!
//! The same cases run on the host (`tests/host.rs`) and on Zephyr (`tests/conformance`), which
//! supply the few things a test needs from outside the loop through [`Hooks`].

#![no_std]

extern crate alloc;

pub mod cases;
mod support;

pub use support::{check, py_bool, py_bytes, Case, Exc, Hooks, Out, PyBytes};
