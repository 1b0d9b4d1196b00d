//! [`main!`](crate::main): the application's entry point, written once.

use core::fmt::Debug;
use core::future::IntoFuture;

/// Defines `rust_main`, the entry point zephyr-lang-rust's C `main()` calls: routes the `log`
/// crate to Zephyr's logging, runs `$main` (a future whose output is a `Result`) as the main
/// task of the main thread's loop, and prints how it ended: `asyncio: main task done`, or the
/// error.
///
/// ```no_run
/// async fn main() -> asyncio::Result<()> {
///     log::info!("hello");
///     asyncio::sleep_ms(10).await
/// }
///
/// # /* (the examples' test app has its own entry point)
/// asyncio::main!(main());
/// # */
/// ```
#[macro_export]
macro_rules! main {
    ($main:expr) => {
        #[no_mangle]
        extern "C" fn rust_main() {
            // SAFETY: zephyr-lang-rust calls rust_main once, before any Rust code logs.
            unsafe { $crate::entry::run_main($main) }
        }
    };
}

/// What [`main!`](crate::main) expands to.
///
/// # Safety
/// Called once, before any other Rust code logs (zephyr-lang-rust's `set_logger` rule).
#[doc(hidden)]
pub unsafe fn run_main<F, T, E>(main: F)
where
    F: IntoFuture<Output = Result<T, E>>,
    F::IntoFuture: 'static,
    E: Debug,
{
    // SAFETY: forwarded from the caller. A second logger cannot be set; that needs no report.
    let _ = unsafe { zephyr::set_logger() };
    match asyncio_core::run(main) {
        Ok(Ok(_)) => zephyr::printkln!("asyncio: main task done"),
        Ok(Err(e)) => zephyr::printkln!("asyncio: main task failed: {e:?}"),
        Err(e) => zephyr::printkln!("asyncio: main task did not run: {e}"),
    }
}
