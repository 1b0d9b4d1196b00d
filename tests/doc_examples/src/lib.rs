//! Every code example of zephyr-asyncio's documentation, compiled (see build.rs): each one is a
//! module here, named after its file and line. A failing example fails this build with that
//! name in the error's path.

#![no_std]
#![allow(dead_code, unused_imports, clippy::all)]

extern crate alloc;

include!(concat!(env!("OUT_DIR"), "/doc_examples.rs"));

#[no_mangle]
extern "C" fn rust_main() {
    zephyr::printkln!("{COUNT} documentation examples compiled");
}
