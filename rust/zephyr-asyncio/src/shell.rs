//! `asyncio tasks` in Zephyr's shell (`CONFIG_ASYNCIO_SHELL`). The shell's thread cannot read
//! the loop's tasks (they belong to the loop's thread), so `c/shell.c` asks through
//! [`asyncio_shell_request_dump`] and the loop answers at its next round, from the platform's
//! `poll_io`, with [`Loop::dump`](asyncio_core::Loop::dump).

extern crate alloc;

use alloc::string::ToString;
use core::ffi::c_char;
use core::sync::atomic::{AtomicBool, Ordering};

use asyncio_core::Platform;

use crate::platform::ZEPHYR;

static REQUESTED: AtomicBool = AtomicBool::new(false);

extern "C" {
    fn asyncio_shell_dump_ready(text: *const c_char, len: usize);
}

/// Asks the loop for its task listing and wakes it; called from the shell's thread.
#[no_mangle]
extern "C" fn asyncio_shell_request_dump() {
    REQUESTED.store(true, Ordering::Release);
    ZEPHYR.notify();
}

/// Answers a pending request; called on the loop's thread once per round.
pub(crate) fn serve_dump_request() {
    if REQUESTED.swap(false, Ordering::AcqRel) {
        let text = asyncio_core::get_event_loop().dump().to_string();
        // SAFETY: the C side copies `len` bytes of `text` before returning.
        unsafe { asyncio_shell_dump_ready(text.as_ptr().cast(), text.len()) };
    }
}
