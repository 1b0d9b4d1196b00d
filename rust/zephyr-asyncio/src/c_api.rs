//! The C API: what C code — an interrupt handler, a driver callback, a C `main()` — may call.
//!
//! The build generates the header `asyncio.h` from this file with cbindgen and puts it on
//! every C file's include path. A Rust [`ThreadSafeFlag`] is an opaque `AsyncioFlag` in C:
//!
//! ```c
//! #include <asyncio.h>
//!
//! extern const AsyncioFlag button_pressed;     /* a Rust static, see below */
//!
//! static void button_isr(const struct device *port, struct gpio_callback *cb, uint32_t pins)
//! {
//!         asyncio_flag_set(&button_pressed);   /* wakes the task awaiting it, now */
//! }
//! ```
//!
//! ```no_run
//! // Rust side: the flag C sets, and the task that awaits it.
//! #[no_mangle]
//! pub static button_pressed: asyncio::c_api::AsyncioFlag = asyncio::c_api::AsyncioFlag::new();
//!
//! async fn on_button() -> asyncio::Result<()> {
//!     loop {
//!         button_pressed.wait().await?;
//!         log::info!("pressed");
//!     }
//! }
//! ```
//!
//! ISR-safe: `asyncio_flag_set`, `asyncio_flag_clear`, `asyncio_flag_is_set`. Loop thread
//! only: `asyncio_run_forever`, `asyncio_stop`. Anywhere (for diagnostics):
//! `asyncio_current_task_name`.

use core::cell::UnsafeCell;
use core::ffi::{c_char, c_int};
use core::ops::Deref;

use asyncio_core::{get_event_loop, Error, ThreadSafeFlag};

/// A [`ThreadSafeFlag`] C code can set: opaque in C, used through pointers. Define it in Rust
/// (a `#[no_mangle] pub static`), declare it in C (`extern const AsyncioFlag name;`).
///
/// ```no_run
/// use asyncio::c_api::AsyncioFlag;
///
/// #[no_mangle]
/// pub static data_ready: AsyncioFlag = AsyncioFlag::new(); // C: extern const AsyncioFlag data_ready;
///
/// async fn reader() -> asyncio::Result<()> {
///     data_ready.wait().await?; // C's ISR called asyncio_flag_set(&data_ready)
///     Ok(())
/// }
/// ```
pub struct AsyncioFlag(ThreadSafeFlag);

impl AsyncioFlag {
    /// A new, clear flag; usable as a `static`.
    ///
    /// ```no_run
    /// use asyncio::c_api::AsyncioFlag;
    ///
    /// #[no_mangle]
    /// pub static sensor_ready: AsyncioFlag = AsyncioFlag::new();
    /// ```
    pub const fn new() -> Self {
        AsyncioFlag(ThreadSafeFlag::new())
    }
}

impl Default for AsyncioFlag {
    fn default() -> Self {
        Self::new()
    }
}

impl Deref for AsyncioFlag {
    type Target = ThreadSafeFlag;

    fn deref(&self) -> &ThreadSafeFlag {
        &self.0
    }
}

/// Sets `flag` and wakes the task waiting for it. Callable from interrupt handlers and any
/// thread: an atomic store and a `k_poll_signal_raise`, no lock.
///
/// # Safety
/// `flag` must point to an `AsyncioFlag` (a Rust static).
///
/// ```c
/// extern const AsyncioFlag rx_ready;
///
/// void uart_isr(const struct device *dev, void *user_data)
/// {
///         asyncio_flag_set(&rx_ready);
/// }
/// ```
#[no_mangle]
pub unsafe extern "C" fn asyncio_flag_set(flag: *const AsyncioFlag) {
    // SAFETY: the caller passes a valid flag.
    unsafe { &*flag }.set();
}

/// Clears `flag`. Callable from interrupt handlers and any thread.
///
/// # Safety
/// `flag` must point to an `AsyncioFlag` (a Rust static).
///
/// ```c
/// asyncio_flag_clear(&rx_ready); // forget a set nobody waited for
/// ```
#[no_mangle]
pub unsafe extern "C" fn asyncio_flag_clear(flag: *const AsyncioFlag) {
    // SAFETY: the caller passes a valid flag.
    unsafe { &*flag }.clear();
}

/// Whether `flag` is set. Callable from interrupt handlers and any thread.
///
/// # Safety
/// `flag` must point to an `AsyncioFlag` (a Rust static).
///
/// ```c
/// if (!asyncio_flag_is_set(&rx_ready)) {
///         start_receiving();
/// }
/// ```
#[no_mangle]
pub unsafe extern "C" fn asyncio_flag_is_set(flag: *const AsyncioFlag) -> bool {
    // SAFETY: the caller passes a valid flag.
    unsafe { &*flag }.is_set()
}

/// Runs the calling thread's event loop until a task calls `stop()` (or C calls
/// `asyncio_stop()` from a task's call chain). Tasks are created beforehand by Rust code, e.g. a
/// Rust function the C `main()` calls first. Returns 0, or `-EBUSY` if a loop is already running
/// on this thread.
///
/// ```c
/// #include <asyncio.h>
///
/// void start_tasks(void); // Rust: creates the application's tasks
///
/// int main(void)
/// {
///         start_tasks();
///         return asyncio_run_forever();
/// }
/// ```
#[no_mangle]
pub extern "C" fn asyncio_run_forever() -> c_int {
    match get_event_loop().run_forever() {
        Ok(()) => 0,
        Err(Error::NestedRun) => -(zephyr::raw::EBUSY as c_int),
        Err(_) => -(zephyr::raw::EINVAL as c_int),
    }
}

/// Stops `asyncio_run_forever()` once the tasks already ready have run. Loop thread only.
///
/// ```c
/// // Called from a task, e.g. through a Rust callback.
/// void on_shutdown_request(void)
/// {
///         asyncio_stop();
/// }
/// ```
#[no_mangle]
pub extern "C" fn asyncio_stop() {
    get_event_loop().stop();
}

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
///
/// ```c
/// void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
/// {
///         const char *task = asyncio_current_task_name();
///
///         printk("fatal error %u in task %s\n", reason, task ? task : "(none)");
/// }
/// ```
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
