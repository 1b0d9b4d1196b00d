//! Kconfig's boolean options as `cfg`s (`#[cfg(CONFIG_ASYNCIO_NET)]`): zephyr-lang-rust's way.

fn main() {
    zephyr_build::export_bool_kconfig();
    // The one this sample tests (a network for the uploader), declared so that a board without
    // it is no warning.
    println!("cargo::rustc-check-cfg=cfg(CONFIG_ASYNCIO_NET)");
}
