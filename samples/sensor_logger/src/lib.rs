//! An accelerometer sampled every 100 ms and logged, beside a heartbeat that never misses a
//! beat: `Sensor::fetch` runs the driver's `sensor_sample_fetch` (an I2C transfer, which
//! blocks its thread) on the offload work queue, so the loop goes on meanwhile.
//!
//! The sensor is the devicetree's `imu` (a BMI160). On native_sim and qemu_cortex_m3 it is
//! Zephyr's BMI160 emulator on an emulated I2C bus (see `boards/`), and a tilt task turns the
//! board: flat, on its side, upside down.

#![no_std]

use asyncio::sensor::{Channel, Sensor};
use asyncio::{create_task, dt_node, sleep_ms, ticks_ms, Result};
use zephyr::printkln;

/// How often the sensor is sampled.
const PERIOD_MS: u32 = 100;
/// How many samples the sample logs.
const SAMPLES: u32 = 9;

/// Counts heartbeats that came half a period late or more: none should.
async fn heartbeat(missed: &core::cell::Cell<u32>) -> Result<()> {
    let mut last = ticks_ms();
    loop {
        sleep_ms(50).await?;
        if ticks_ms() - last >= 75 {
            missed.set(missed.get() + 1);
        }
        last = ticks_ms();
    }
}

/// Turns the emulated board: flat, on its side, upside down, 300 ms each.
#[cfg(CONFIG_EMUL)]
async fn tilt(imu: Sensor) -> Result<()> {
    let emulator = asyncio::sensor::EmulatedSensor::of(&imu)?;
    for (x, z) in [(0.0, 9.81), (9.81, 0.0), (0.0, -9.81)] {
        emulator.set(Channel::ACCEL_X, x)?;
        emulator.set(Channel::ACCEL_Y, 0.0)?;
        emulator.set(Channel::ACCEL_Z, z)?;
        sleep_ms(300).await?;
    }
    Ok(())
}

async fn main() -> Result<()> {
    let imu = Sensor::from_dt(dt_node!(imu))?;
    #[cfg(CONFIG_EMUL)]
    {
        let _tilt = create_task(tilt(imu));
        asyncio::yield_now().await?; // it sets the first position before the first sample
    }
    let missed = alloc::rc::Rc::new(core::cell::Cell::new(0));
    let beat = create_task({
        let missed = missed.clone();
        async move { heartbeat(&missed).await }
    });
    for _ in 0..SAMPLES {
        let [x, y, z] = imu.read_xyz(Channel::ACCEL_XYZ).await?;
        printkln!(
            "{:>4} ms: accel {:5.1} {:5.1} {:5.1} m/s2",
            ticks_ms(),
            x.to_f32(),
            y.to_f32(),
            z.to_f32()
        );
        sleep_ms(PERIOD_MS).await?;
    }
    beat.cancel();
    printkln!("{SAMPLES} samples, heartbeats missed: {}", missed.get());
    Ok(())
}

extern crate alloc;

asyncio::main!(main());
