//! A BMI160 on the emulated I2C bus: fetched on the offload queue, its channels read as
//! values the emulator was told to produce; errors for channels and nodes it does not have; a
//! cancelled fetch costs nothing to the next.

use alloc::string::String;

use asyncio::sensor::{Channel, EmulatedSensor, Sensor, SensorValue};
use asyncio::{create_task, dt_node, sleep_ms, Error};
use zephyr_testkit::{check, check_eq, Suite};

use crate::common::{fail, run_case};

/// Whether `value` is within `tolerance` of `expected` (the sensor's resolution).
fn near(value: SensorValue, expected: f32, tolerance: f32) -> bool {
    (value.to_f32() - expected).abs() <= tolerance
}

fn a_sensor_reads_what_its_emulator_produces() -> Result<(), String> {
    run_case(async {
        let imu = Sensor::from_dt(dt_node!(imu)).map_err(fail)?;
        let emulator = EmulatedSensor::of(&imu).map_err(fail)?;
        emulator.set(Channel::ACCEL_X, 1.5).map_err(fail)?;
        emulator.set(Channel::ACCEL_Y, -2.25).map_err(fail)?;
        emulator.set(Channel::ACCEL_Z, 9.81).map_err(fail)?;
        let [x, y, z] = imu.read_xyz(Channel::ACCEL_XYZ).await.map_err(fail)?;
        // ±2 g over 16 bits: about 0.0006 m/s² a step.
        check!(
            near(x, 1.5, 0.01) && near(y, -2.25, 0.01) && near(z, 9.81, 0.01),
            "accel {x} {y} {z}"
        );
        check_eq!(imu.get(Channel::ACCEL_X), Ok(x));
        // A new reading shows on the next fetch only.
        emulator.set(Channel::ACCEL_X, -4.0).map_err(fail)?;
        check_eq!(imu.get(Channel::ACCEL_X), Ok(x));
        let x = imu.read(Channel::ACCEL_X).await.map_err(fail)?;
        check!(near(x, -4.0, 0.01), "accel x {x}");
        Ok(())
    })
}

fn what_a_sensor_does_not_have_is_an_error() -> Result<(), String> {
    let imu = Sensor::from_dt(dt_node!(imu)).map_err(fail)?;
    // The driver's and the emulator's errors (-ENOTSUP, -EINVAL: numbers of the C library).
    let humidity = imu.get(Channel::HUMIDITY);
    check!(
        matches!(humidity, Err(Error::Os(e)) if e < 0),
        "humidity: {humidity:?}"
    );
    let set = EmulatedSensor::of(&imu).and_then(|e| e.set(Channel::HUMIDITY, 40.0));
    check!(
        matches!(set, Err(Error::Os(e)) if e < 0),
        "setting humidity: {set:?}"
    );
    check_eq!(
        Sensor::from_dt(dt_node!(button0))
            .err()
            .map(|e| alloc::format!("{e}")),
        Some(String::from(
            "no enabled devicetree node labelled 'button0' of that kind"
        ))
    );
    Ok(())
}

fn a_cancelled_fetch_leaves_the_sensor_usable() -> Result<(), String> {
    run_case(async {
        let imu = Sensor::from_dt(dt_node!(imu)).map_err(fail)?;
        EmulatedSensor::of(&imu)
            .map_err(fail)?
            .set(Channel::ACCEL_Z, 3.0)
            .map_err(fail)?;
        let fetcher = create_task(async move { imu.fetch().await });
        fetcher.cancel();
        check_eq!(fetcher.await, Err(Error::Cancelled));
        sleep_ms(1).await.map_err(fail)?;
        let z = imu.read(Channel::ACCEL_Z).await.map_err(fail)?;
        check!(near(z, 3.0, 0.01), "accel z {z}");
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "a_sensor_reads_what_its_emulator_produces",
        a_sensor_reads_what_its_emulator_produces,
    );
    suite.case(
        "what_a_sensor_does_not_have_is_an_error",
        what_a_sensor_does_not_have_is_an_error,
    );
    suite.case(
        "a_cancelled_fetch_leaves_the_sensor_usable",
        a_cancelled_fetch_leaves_the_sensor_usable,
    );
}
