//! Exposes the build's boolean Kconfig options as `cfg(CONFIG_...)` (the image differs between
//! native_sim and other boards).
fn main() {
    zephyr_build::export_bool_kconfig();
}
