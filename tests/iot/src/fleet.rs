//! One device of the fleet test (pytest/test_fleet.py): started with `--fleet-id=<id>
//! --fleet-port=<port>`, it publishes `TELEMETRY` numbered readings at QoS 1 on
//! `fleet/<id>/t`, one every `INTERVAL_MS`, then closes its client, says `fleet done` and
//! ends the process.

use alloc::format;
use alloc::string::{String, ToString};
use core::ffi::{c_char, CStr};

use asyncio::mqtt::{Client, Config, QoS};
use asyncio::net::Tcp;
use asyncio::{sleep_ms, Result};
use zephyr::printkln;

const TELEMETRY: u32 = 50;
const INTERVAL_MS: u32 = 20;

extern "C" {
    fn iot_fleet_id() -> *const c_char;
    fn iot_fleet_port() -> u16;
    fn iot_fleet_exit(code: i32) -> !;
}

/// The fleet identity from the command line, if this process is a fleet device.
pub fn identity() -> Option<(String, u16)> {
    // SAFETY: the C side returns NULL or the command line's NUL-terminated argument, which
    // lives as long as the process; the port is a plain value.
    unsafe {
        let id = iot_fleet_id();
        (!id.is_null()).then(|| {
            let id = CStr::from_ptr(id).to_string_lossy().into_owned();
            (id, iot_fleet_port())
        })
    }
}

/// Publishes the device's telemetry, then disconnects.
pub async fn device(id: String, port: u16) -> Result<()> {
    let mqtt = Client::new(Tcp::new("127.0.0.1", port), Config::new(&id));
    let topic = format!("fleet/{id}/t");
    for reading in 0..TELEMETRY {
        mqtt.publish(&topic, reading.to_string().as_bytes(), QoS::AtLeastOnce)
            .await?;
        sleep_ms(INTERVAL_MS).await?;
    }
    let counts = mqtt.counts();
    mqtt.close().await?;
    printkln!(
        "fleet done: {id} published={} connects={}",
        counts.published,
        counts.connects
    );
    Ok(())
}

/// Ends the process, with 0 after `done` succeeded.
pub fn exit(done: bool) -> ! {
    // SAFETY: ends the native_sim process; nothing runs after it.
    unsafe { iot_fleet_exit(if done { 0 } else { 1 }) }
}
