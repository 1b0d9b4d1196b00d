//! `asyncio tasks` in Zephyr's shell (`CONFIG_ASYNCIO_SHELL`). The shell's thread cannot read a
//! loop's tasks (they belong to the loop's thread), so `c/shell.c` asks each loop in turn
//! through [`asyncio_shell_request_dump`]: a [`RemoteCall`] that the loop runs at its next
//! round, answering with [`Loop::dump`](asyncio_core::Loop::dump).

extern crate alloc;

use alloc::string::ToString;
use core::ffi::{c_char, c_int};

use asyncio_core::{Loop, LoopHandle, RemoteCall};

extern "C" {
    fn asyncio_shell_dump_ready(text: *const c_char, len: usize);
}

static DUMP: RemoteCall = RemoteCall::new(|lp: Loop| {
    let text = lp.dump().to_string();
    // SAFETY: the C side copies `len` bytes of `text` before returning.
    unsafe { asyncio_shell_dump_ready(text.as_ptr().cast(), text.len()) };
});

/// Asks loop number `index` (of every loop the program has) for its task listing, which
/// arrives through `asyncio_shell_dump_ready`. 1 if asked, 0 if there is no such loop,
/// `-EBUSY` if an earlier request has not been answered yet.
#[no_mangle]
extern "C" fn asyncio_shell_request_dump(index: usize) -> c_int {
    match LoopHandle::all().nth(index) {
        None => 0,
        Some(lp) if lp.call_soon_threadsafe(&DUMP) => 1,
        Some(_) => -(zephyr::raw::EBUSY as c_int),
    }
}
