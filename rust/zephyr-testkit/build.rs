//! Exposes the build's boolean Kconfig options as `cfg(CONFIG_...)` to this crate.
fn main() {
    zephyr_build::export_bool_kconfig();
}
