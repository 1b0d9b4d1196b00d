//! Functions for C code: what the module's C glue and C applications call.

use core::cell::UnsafeCell;
use core::ffi::c_char;

/// Room for a task name in C, NUL included; longer names are cut.
const NAME_CAPACITY: usize = 64;

struct NameBuffer(UnsafeCell<[u8; NAME_CAPACITY]>);

// SAFETY: only written by `asyncio_current_task_name`, which the loop thread (or a fatal error
// handler that stopped it) calls; see that function's contract.
unsafe impl Sync for NameBuffer {}

static NAME: NameBuffer = NameBuffer(UnsafeCell::new([0; NAME_CAPACITY]));

/// The name of the asyncio task running on the calling thread, NUL-terminated (cut to 63
/// bytes), or NULL outside a task. The string stays valid until the next call.
///
/// For fatal-error handlers and debuggers: call it from the loop's thread, or while that thread
/// is stopped.
#[no_mangle]
pub extern "C" fn asyncio_current_task_name() -> *const c_char {
    let Some(task) = asyncio_core::current_task() else {
        return core::ptr::null();
    };
    let name = task.name().as_bytes();
    let len = name.len().min(NAME_CAPACITY - 1);
    // SAFETY: per the contract, nothing else touches the buffer during this call.
    let buf = unsafe { &mut *NAME.0.get() };
    buf[..len].copy_from_slice(&name[..len]);
    buf[len] = 0;
    buf.as_ptr() as *const c_char
}
