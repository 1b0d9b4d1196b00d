//! MicroPython's `asyncio` programming model for Rust applications on Zephyr.
//!
//! Everything in [`asyncio_core`] is re-exported here; this crate adds the Zephyr platform the
//! loop runs on: the loop runs on the thread that calls [`run`], and when no task is ready it
//! blocks in one `k_poll()` on its own `k_poll_signal` and on the kernel objects and sockets its
//! tasks wait on, with the next timer deadline as an absolute timeout. Wakers from other threads
//! or interrupt handlers raise that signal. An idle loop therefore costs nothing: no timer
//! interrupt walks a queue, nothing polls periodically.
//!
//! Every thread has a loop of its own, each with its own `k_poll` (its *reactor*): a
//! high-priority control loop can run beside the application's loop, and an interrupt wakes
//! the loop its waiting task belongs to.
//!
//! ```no_run
//! use asyncio::{create_task, run, sleep_ms, Result};
//! use log::info;
//!
//! async fn heartbeat(name: &'static str, ms: u32) -> Result<()> {
//!     loop {
//!         info!("{name}");
//!         sleep_ms(ms).await?;
//!     }
//! }
//!
//! # /* (the examples' test app has its own entry point)
//! #[no_mangle]
//! # */
//! extern "C" fn rust_main() {
//!     // SAFETY: called once, before any other thread logs.
//!     unsafe { zephyr::set_logger().unwrap() };
//!     run(async {
//!         let fast = create_task(heartbeat("fast", 100));
//!         let _slow = create_task(heartbeat("slow", 500));
//!         sleep_ms(5000).await?;
//!         fast.cancel();
//!         Ok::<_, asyncio::Error>(())
//!     })
//!     .unwrap()
//!     .unwrap();
//! }
//! ```
//!
//! Beyond the core, this crate connects the loop to the kernel (see `docs/kernel.md`):
//!
//! - [`kernel`]: `k_sem`, `k_msgq`, `k_fifo` and `k_poll_signal` that tasks await inside the
//!   loop's `k_poll`, fed from interrupt handlers, threads or C;
//! - [`offload`]: a blocking call on the module's work queue, awaited without stalling the loop;
//! - `gpio` (with `CONFIG_ASYNCIO_GPIO`, on by default with `CONFIG_GPIO`): pins whose edges
//!   tasks await, and micropython-async's debounced buttons, switches and encoders on them;
//! - `pwm` (with `CONFIG_ASYNCIO_PWM`): PWM channels with MicroPython's `duty_u16`, and LED
//!   fades that run as tasks;
//! - `uart` (with `CONFIG_ASYNCIO_UART`): any devicetree UART as a stream, interrupt-driven,
//!   with `readline()` and `drain()`;
//! - `input` (with `CONFIG_ASYNCIO_INPUT`, on by default with `CONFIG_INPUT`): the events of
//!   Zephyr's input subsystem (gpio-keys, touch, keyboards) as an awaitable stream;
//! - `sensor` (with `CONFIG_ASYNCIO_SENSOR`): sensors fetched on the offload queue, their
//!   channels as values;
//! - `camera` (with `CONFIG_ASYNCIO_CAMERA`, on by default with `CONFIG_VIDEO`): a Zephyr
//!   video device whose `snapshot()` is awaited, woken by the driver's signal;
//! - `net` (with `CONFIG_ASYNCIO_NET`, on by default with TCP sockets): `open_connection`,
//!   `start_server` and streams over Zephyr sockets, waited on in the loop's `k_poll`;
//! - `serial` (with `CONFIG_ASYNCIO_SERIAL_LINES`): lines typed on the console UART;
//! - [`c_api`]: what C code calls (`asyncio.h`, generated during the build): set a flag from an
//!   ISR, run the loop from a C `main()`.
//!
//! Build it as any zephyr-lang-rust application (`rust_cargo_application()` in CMakeLists.txt,
//! `CONFIG_RUST=y` and `CONFIG_ASYNCIO=y` in prj.conf) with this module in the west manifest or
//! in `ZEPHYR_EXTRA_MODULES`, and `zephyr-asyncio = "0.1"` in Cargo.toml.

#![no_std]
#![allow(unexpected_cfgs)]
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

extern crate alloc;

pub use asyncio_core::*;

pub mod c_api;
#[cfg(CONFIG_ASYNCIO_CAMERA)]
pub mod camera;
mod devicetree;
#[doc(hidden)]
pub mod entry;
#[cfg(any(CONFIG_ASYNCIO_UART, CONFIG_ASYNCIO_INPUT))]
mod gap_ring;
#[cfg(CONFIG_ASYNCIO_GPIO)]
pub mod gpio;
#[cfg(any(CONFIG_ASYNCIO_HTTP, CONFIG_ASYNCIO_HTTP_SERVER))]
pub mod http;
#[cfg(CONFIG_ASYNCIO_INPUT)]
pub mod input;
pub mod kernel;
#[cfg(CONFIG_ASYNCIO_NET)]
pub mod net;
#[cfg(CONFIG_ASYNCIO_OFFLOAD)]
mod offload;
#[cfg(any(CONFIG_ASYNCIO_UART, CONFIG_ASYNCIO_INPUT))]
mod open_list;
mod platform;
#[cfg(CONFIG_ASYNCIO_PWM)]
pub mod pwm;
mod reactor;
#[cfg(CONFIG_ASYNCIO_SENSOR)]
pub mod sensor;
#[cfg(CONFIG_ASYNCIO_SERIAL_LINES)]
pub mod serial;
#[cfg(CONFIG_ASYNCIO_SHELL)]
mod shell;
#[cfg(CONFIG_ASYNCIO_TLS)]
pub mod tls;
#[cfg(CONFIG_ASYNCIO_UART)]
pub mod uart;

pub use devicetree::DtNode;
#[cfg(CONFIG_ASYNCIO_OFFLOAD)]
pub use offload::offload;
pub use platform::{PlatformStorage, ZephyrPlatform};

/// What the crate's macros name from the application's crate.
#[doc(hidden)]
pub mod __private {
    pub use zephyr;
}

#[cfg(not(CONFIG_ASYNCIO))]
compile_error!("zephyr-asyncio needs CONFIG_ASYNCIO=y in the application's prj.conf");
