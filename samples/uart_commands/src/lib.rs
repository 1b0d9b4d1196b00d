//! A command line on a second UART beside a sensor task: the tutorial's UART reader next to
//! a capture loop. The reader awaits whole lines (`StreamReader::readline` over the UART's
//! interrupt-driven transport); the sensor task samples an accelerometer every 200 ms through
//! the offload queue meanwhile. Bad input (an unknown command, a line over the limit, bytes
//! lost to an overrun) gets an answer, never a crash.
//!
//! The UART is the devicetree's `uart1` (on native_sim a host pseudo-terminal), the sensor
//! `imu` (a BMI160; on native_sim its emulator, see `boards/`).

#![no_std]

extern crate alloc;

use alloc::format;
use alloc::rc::Rc;
use core::cell::Cell;

use asyncio::sensor::{Channel, Sensor};
use asyncio::uart::Uart;
use asyncio::{create_task, dt_node, get_event_loop, sleep_ms, Error, Result};
use zephyr::printkln;

/// The longest command line; a longer one is refused, and what follows is read normally.
const LINE_LIMIT: usize = 64;

/// What the sensor task last read, for the `accel` command.
#[derive(Default)]
struct Latest {
    samples: Cell<u32>,
    z_milli: Cell<i64>,
}

async fn sample(imu: Sensor, latest: Rc<Latest>) -> Result<()> {
    loop {
        let z = imu.read(Channel::ACCEL_Z).await?;
        latest.z_milli.set(z.micros() / 1000);
        latest.samples.set(latest.samples.get() + 1);
        sleep_ms(200).await?;
    }
}

/// The answer to one command line.
fn answer(line: &[u8], latest: &Latest) -> alloc::string::String {
    let line = core::str::from_utf8(line).unwrap_or("").trim();
    match line {
        "help" => "commands: ping, accel, stats, help".into(),
        "ping" => "pong".into(),
        "accel" => {
            let z = latest.z_milli.get();
            format!(
                "accel z {}.{:03} m/s2 ({} samples)",
                z / 1000,
                (z % 1000).abs(),
                latest.samples.get()
            )
        }
        "stats" => {
            let stats = get_event_loop().stats();
            format!(
                "{} tasks, {} parks in k_poll, {} idle wake-ups",
                stats.tasks_alive, stats.parks, stats.idle_wakeups
            )
        }
        "" => "".into(),
        other => format!("unknown command '{other}'"),
    }
}

async fn main() -> Result<()> {
    let imu = Sensor::from_dt(dt_node!(imu))?;
    #[cfg(CONFIG_EMUL)]
    asyncio::sensor::EmulatedSensor::of(&imu)?.set(Channel::ACCEL_Z, 9.81)?;
    let latest = Rc::new(Latest::default());
    let _sampler = create_task(sample(imu, latest.clone()));

    let (reader, mut writer) = Uart::from_dt(dt_node!(uart1))?.into_streams();
    let mut reader = reader.with_line_limit(LINE_LIMIT);
    printkln!("commands on uart1: type help");
    // Inside a line over the limit: its bytes are dropped up to its newline.
    let mut oversize = false;
    loop {
        let reply = match reader.readline().await {
            Ok(_) if core::mem::take(&mut oversize) => {
                format!("error: line longer than {LINE_LIMIT} bytes, ignored")
            }
            Ok(line) => answer(&line, &latest),
            Err(Error::LineTooLong { limit }) => {
                // The reader kept the bytes; the first `limit` hold no newline: drop them.
                reader.read(limit).await?;
                oversize = true;
                continue;
            }
            Err(Error::Overrun { lost }) => format!("error: {lost} bytes lost, send it again"),
            Err(e) => return Err(e),
        };
        if !reply.is_empty() {
            writer.write(reply.as_bytes());
            writer.write(b"\r\n");
            writer.drain().await?;
        }
    }
}

asyncio::main!(main());
