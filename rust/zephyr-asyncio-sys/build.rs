//! Runs bindgen over `wrapper.h` with the include paths and defines of the Zephyr build (the
//! environment zephyr-lang-rust's CMake gives cargo), and writes C wrappers for the `static
//! inline` functions to `ZEPHYR_ASYNCIO_WRAPPER_FILE`, which the module's CMake compiles into
//! the application.

use std::env;
use std::path::PathBuf;

fn split_env(name: &str) -> Vec<String> {
    println!("cargo:rerun-if-env-changed={name}");
    env::var(name)
        .unwrap_or_default()
        .split([' ', ';'])
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn main() {
    let zephyr_base =
        env::var("ZEPHYR_BASE").expect("ZEPHYR_BASE: build this crate through the Zephyr build");
    let wrapper_file = PathBuf::from(
        env::var("ZEPHYR_ASYNCIO_WRAPPER_FILE")
            .expect("ZEPHYR_ASYNCIO_WRAPPER_FILE is set by the module's CMake"),
    );
    // Clang knows riscv targets by generic names (as zephyr-sys does).
    let target = env::var("TARGET").unwrap();
    let target = match target {
        t if t.starts_with("riscv32") => "riscv32-unknown-none-elf".to_string(),
        t if t.starts_with("riscv64") => "riscv64-unknown-none-elf".to_string(),
        t => t,
    };
    println!("cargo:rerun-if-changed=wrapper.h");
    println!("cargo:rerun-if-changed=../../c/sockets.h");
    println!("cargo:rerun-if-changed=../../c/devicetree.h");

    let mut builder = bindgen::Builder::default()
        // By absolute path: the generated C wrappers include it from the application's build.
        .header(concat!(env!("CARGO_MANIFEST_DIR"), "/wrapper.h"))
        .use_core()
        .clang_arg(format!("--target={target}"))
        .clang_arg("-DRUST_BINDGEN")
        .clang_arg(format!("-I{zephyr_base}/lib/libc/minimal/include"))
        .derive_default(true)
        .wrap_static_fns(true)
        .wrap_static_fns_path(&wrapper_file)
        .allowlist_var("ZA_.*")
        // The video API (when CONFIG_VIDEO): its functions, types and constants. Kernel types
        // come from zephyr-sys, so that they are the same Rust types as the zephyr crate's.
        .allowlist_function("video_.*")
        .allowlist_type("video_.*")
        .allowlist_var("VIDEO_.*")
        // The devicetree's pins and PWM channels (c/devicetree.h), the GPIO emulator's test
        // hooks (when CONFIG_GPIO_EMUL), and the PWM API (when CONFIG_ASYNCIO_PWM).
        .allowlist_function("asyncio_dt_.*")
        .allowlist_type("asyncio_dt_.*")
        .allowlist_function("gpio_emul_input_set")
        .allowlist_function("gpio_emul_output_get")
        .allowlist_type("pwm_dt_spec")
        .allowlist_type("pwm_flags_t")
        .allowlist_function("pwm_set_dt")
        .allowlist_function("pwm_is_ready_dt")
        // The interrupt-driven UART API (when CONFIG_ASYNCIO_UART).
        .allowlist_function("uart_irq_callback_user_data_set")
        .allowlist_type("uart_irq_callback_user_data_t")
        .allowlist_function("uart_irq_(update|rx_ready|tx_ready|rx_enable|rx_disable|tx_enable|tx_disable)")
        .allowlist_function("uart_fifo_(read|fill)")
        .allowlist_function("uart_err_check")
        // Zephyr's input subsystem (when CONFIG_ASYNCIO_INPUT).
        .allowlist_function("input_report")
        // The sensor API and its emulators' backend (when CONFIG_ASYNCIO_SENSOR).
        .allowlist_function("sensor_sample_fetch")
        .allowlist_function("sensor_channel_get")
        .allowlist_type("sensor_value")
        .allowlist_type("sensor_channel")
        .allowlist_var("sensor_channel_SENSOR_CHAN_.*")
        .allowlist_type("sensor_chan_spec")
        .allowlist_type("q31_t")
        .allowlist_function("emul_get_binding")
        .allowlist_function("emul_sensor_backend_set_channel")
        // `struct emul` stays opaque (only its address is passed): see the raw line below.
        .blocklist_type("emul")
        // The streams adapter's C glue (c/sockets.h, when CONFIG_ASYNCIO_NET).
        .allowlist_function("asyncio_socket_.*")
        .allowlist_type("asyncio_sock.*")
        .allowlist_var("asyncio_socket_.*")
        .allowlist_var("ASYNCIO_SOCKET_.*")
        .allowlist_recursively(false)
        .raw_line("use zephyr_sys::{device, gpio_dt_spec, gpio_pin_t, k_poll_event, k_poll_signal, k_timeout_t};")
        .raw_line("/// A device emulator (`struct emul`), only ever behind a pointer.")
        .raw_line("#[repr(C)] pub struct emul { _opaque: [u8; 0] }")
        .parse_callbacks(Box::new(bindgen::CargoCallbacks::new()));
    for dir in split_env("INCLUDE_DIRS") {
        builder = builder.clang_arg(format!("-I{dir}"));
    }
    for define in split_env("INCLUDE_DEFINES") {
        builder = builder.clang_arg(format!("-D{define}"));
    }
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("bindings.rs");
    builder
        .generate()
        .expect("bindgen over the Zephyr headers failed")
        .write_to_file(out)
        .expect("cannot write the bindings");
}
