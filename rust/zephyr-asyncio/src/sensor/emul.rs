//! [`EmulatedSensor`]: a sensor emulator's readings, set by software (tests, native_sim
//! samples).

use asyncio_core::{Error, Result};
use zephyr_asyncio_sys as sys;

use super::{Channel, Sensor};

/// The emulator behind a [`Sensor`] (Zephyr's sensor emulators, such as bmi160's on
/// native_sim's emulated I2C bus), whose readings software sets.
///
/// ```no_run
/// use asyncio::sensor::{Channel, EmulatedSensor, Sensor};
///
/// fn tilt() -> asyncio::Result<()> {
///     let imu = Sensor::from_dt(asyncio::dt_node!(imu))?;
///     EmulatedSensor::of(&imu)?.set(Channel::ACCEL_Z, 9.81)
/// }
/// ```
pub struct EmulatedSensor {
    emul: *const sys::emul,
}

impl EmulatedSensor {
    /// The emulator of `sensor`: `Err(Error::NoDevice)` naming it if it has none.
    ///
    /// ```no_run
    /// use asyncio::sensor::{EmulatedSensor, Sensor};
    ///
    /// fn has_emulator() -> bool {
    ///     Sensor::from_dt(asyncio::dt_node!(imu)).and_then(|imu| EmulatedSensor::of(&imu)).is_ok()
    /// }
    /// ```
    pub fn of(sensor: &Sensor) -> Result<EmulatedSensor> {
        // SAFETY: a device's name is a NUL-terminated string of the devicetree.
        let emul = unsafe { sys::emul_get_binding(sensor.device().name) };
        if emul.is_null() {
            return Err(Error::NoDevice {
                label: sensor.label(),
            });
        }
        Ok(EmulatedSensor { emul })
    }

    /// Makes channel `channel` read `value` (in the channel's units) from the next fetch on,
    /// as closely as the emulated sensor's resolution allows. `Err(Error::Os(-EINVAL))` for a
    /// channel the emulator does not have.
    ///
    /// ```no_run
    /// use asyncio::sensor::{Channel, EmulatedSensor, Sensor};
    ///
    /// async fn upside_down() -> asyncio::Result<()> {
    ///     let imu = Sensor::from_dt(asyncio::dt_node!(imu))?;
    ///     EmulatedSensor::of(&imu)?.set(Channel::ACCEL_Z, -9.81)?;
    ///     let z = imu.read(Channel::ACCEL_Z).await?;
    ///     assert!(z.to_f32() < -9.0);
    ///     Ok(())
    /// }
    /// ```
    pub fn set(&self, channel: Channel, value: f64) -> Result<()> {
        // Q31 with 8 integer bits: -256.0 to 256.0, which the emulators rescale to their range.
        const SHIFT: i8 = 8;
        let scaled = value * f64::from(1u32 << (31 - SHIFT as u32));
        if !(f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&scaled) {
            return Err(Error::ValueError);
        }
        let q31 = scaled as i32;
        let spec = sys::sensor_chan_spec {
            chan_type: channel.raw() as u16,
            chan_idx: 0,
        };
        // SAFETY: a live emulator (they are static); `q31` is read during the call.
        match unsafe { sys::emul_sensor_backend_set_channel(self.emul, spec, &q31, SHIFT) } {
            0 => Ok(()),
            errno => Err(Error::Os(errno)),
        }
    }
}
