//! asyncio::mqtt and asyncio::http on the IoT benchmarks' workloads (scripts/bench iot), as
//! ../c runs them with Zephyr's C libraries: `count` x 10 QoS 0 publications, `count` QoS 1
//! publications each awaited (its PUBACK), `count` HTTP GETs each on a new connection, on
//! topics `bench/rust/qos0` and `bench/rust/qos1`; one `bench-iot` line per workload. The host
//! times the workloads by when the messages and requests arrive (native_sim's clock stands
//! still while the CPU is busy).

#![no_std]

extern crate alloc;

use alloc::format;
use alloc::string::ToString;

use asyncio::mqtt::{Client, Config, QoS};
use asyncio::net::Tcp;
use asyncio::{run, ticks_ms, Error, Result};
use zephyr::printkln;

extern "C" {
    fn bench_mqtt_port() -> u16;
    fn bench_http_port() -> u16;
    fn bench_count() -> u32;
    fn bench_exit(code: i32) -> !;
}

async fn workloads(mqtt_port: u16, http_port: u16, count: u32) -> Result<()> {
    let mqtt = Client::new(Tcp::new("127.0.0.1", mqtt_port), Config::new("bench-rust"));
    mqtt.wait_connected().await?;
    let start = ticks_ms();
    for i in 0..count * 10 {
        mqtt.publish("bench/rust/qos0", i.to_string().as_bytes(), QoS::AtMostOnce)
            .await?;
    }
    printkln!("bench-iot mqtt-qos0 {} {}", count * 10, ticks_ms() - start);
    let start = ticks_ms();
    for i in 0..count {
        mqtt.publish(
            "bench/rust/qos1",
            i.to_string().as_bytes(),
            QoS::AtLeastOnce,
        )
        .await?;
    }
    printkln!("bench-iot mqtt-qos1 {count} {}", ticks_ms() - start);
    mqtt.close().await?;

    let url = format!("http://127.0.0.1:{http_port}/");
    let start = ticks_ms();
    for _ in 0..count {
        let page = asyncio::http::get(&url).await?;
        if page.status != 200 {
            return Err(Error::Protocol);
        }
    }
    printkln!("bench-iot http-get {count} {}", ticks_ms() - start);
    Ok(())
}

#[no_mangle]
extern "C" fn rust_main() {
    // SAFETY: plain values from the command line (../args.c).
    let (mqtt_port, http_port, count) =
        unsafe { (bench_mqtt_port(), bench_http_port(), bench_count()) };
    let done = run(workloads(mqtt_port, http_port, count))
        .map_err(Error::from)
        .and_then(|r| r);
    let code = match done {
        Ok(()) => 0,
        Err(e) => {
            printkln!("bench-iot failed: {e}");
            1
        }
    };
    printkln!("bench-iot done {code}");
    // SAFETY: ends the native_sim process; nothing runs after it.
    unsafe { bench_exit(code) }
}
