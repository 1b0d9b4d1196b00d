//! Sensors of the devicetree, read without blocking the loop: [`Sensor::fetch`] runs the
//! driver's `sensor_sample_fetch` (which may block on its bus for milliseconds) on the offload
//! work queue while every task goes on; its channels are then read as [`SensorValue`]s.
//! Enabled by `CONFIG_ASYNCIO_SENSOR` (on by default with `CONFIG_SENSOR`).
//!
//! | MicroPython | here |
//! |---|---|
//! | `imu = BMI160(i2c)` | `Sensor::from_dt(dt_node!(imu))?` |
//! | `x, y, z = imu.accel()` | `let [x, y, z] = imu.read_xyz(Channel::ACCEL_XYZ).await?;` |
//! | `t = bme.temperature` | `let t = bme.read(Channel::AMBIENT_TEMP).await?.to_f32();` |
//!
//! ```no_run
//! use asyncio::sensor::{Channel, Sensor};
//! use asyncio::{dt_node, sleep_ms};
//!
//! async fn log_motion() -> asyncio::Result<()> {
//!     let imu = Sensor::from_dt(dt_node!(imu))?;
//!     loop {
//!         imu.fetch().await?; // on the work queue; the loop runs on
//!         let [x, y, z] = imu.get_xyz(Channel::ACCEL_XYZ)?;
//!         log::info!("accel {x} {y} {z} m/s²");
//!         sleep_ms(100).await?;
//!     }
//! }
//! ```

mod channel;
#[cfg(CONFIG_EMUL)]
mod emul;
mod value;

pub use channel::Channel;
#[cfg(CONFIG_EMUL)]
pub use emul::EmulatedSensor;
pub use value::SensorValue;

use asyncio_core::{Error, Result};
use zephyr::raw::device;
use zephyr_asyncio_sys as sys;

use crate::{offload, DtNode};

/// A sensor device of the devicetree.
///
/// ```no_run
/// use asyncio::sensor::{Channel, Sensor};
///
/// async fn log_imu() -> asyncio::Result<()> {
///     let imu = Sensor::from_dt(asyncio::dt_node!(imu))?; // `imu: bmi160@68 { ... };`
///     imu.fetch().await?;
///     let [ax, ay, az] = imu.get_xyz(Channel::ACCEL_XYZ)?;
///     let [gx, gy, gz] = imu.get_xyz(Channel::GYRO_XYZ)?; // the same sample
///     log::info!("accel {ax} {ay} {az}, gyro {gx} {gy} {gz}");
///     Ok(())
/// }
/// ```
#[derive(Clone, Copy)]
pub struct Sensor {
    dev: &'static device,
    label: &'static str,
}

// SAFETY: a device of the devicetree lives for the whole program; Zephyr's sensor API may be
// called from any thread (the offload queue's included).
unsafe impl Send for Sensor {}
// SAFETY: as for `Send`.
unsafe impl Sync for Sensor {}

impl Sensor {
    /// The sensor of devicetree node `node`. `Err(Error::NoDevice)` naming the node if it is
    /// disabled, no device, or its driver failed at boot (a sensor that did not answer on its
    /// bus: Zephyr hands out no device that is not ready).
    ///
    /// ```no_run
    /// use asyncio::sensor::Sensor;
    /// use asyncio::Error;
    ///
    /// fn imu_or_none() -> Option<Sensor> {
    ///     match Sensor::from_dt(asyncio::dt_node!(imu)) {
    ///         Ok(imu) => Some(imu),
    ///         Err(Error::NoDevice { label }) => {
    ///             log::warn!("no {label} on this board"); // not fitted: run without it
    ///             None
    ///         }
    ///         Err(e) => panic!("{e}"),
    ///     }
    /// }
    /// ```
    pub fn from_dt(node: DtNode) -> Result<Sensor> {
        Ok(Sensor {
            dev: node.device()?,
            label: node.label(),
        })
    }

    /// Its node label.
    pub fn label(&self) -> &'static str {
        self.label
    }

    #[cfg(CONFIG_EMUL)]
    pub(crate) fn device(&self) -> &'static device {
        self.dev
    }

    /// Takes a sample of every channel (`sensor_sample_fetch`), on the offload work queue.
    /// `Err(Error::Os)` with the driver's error (a bus error: `-EIO`). Cancelled, it returns at
    /// once; the fetch in progress completes on the queue and the next one waits for it.
    ///
    /// ```no_run
    /// use asyncio::sensor::{Channel, Sensor};
    ///
    /// async fn sample_at_10_hz(imu: Sensor) -> asyncio::Result<()> {
    ///     loop {
    ///         imu.fetch().await?; // the bus transfer runs on the offload queue
    ///         log::info!("z {}", imu.get(Channel::ACCEL_Z)?);
    ///         asyncio::sleep_ms(100).await?;
    ///     }
    /// }
    /// ```
    pub async fn fetch(&self) -> Result<()> {
        let sensor = *self;
        match offload(move || sensor.fetch_blocking()).await? {
            0 => Ok(()),
            errno => Err(Error::Os(errno)),
        }
    }

    /// `sensor_sample_fetch`, blocking the calling thread (the offload queue's).
    fn fetch_blocking(&self) -> i32 {
        // SAFETY: a ready sensor device.
        unsafe { sys::sensor_sample_fetch(self.dev) }
    }

    /// Channel `channel` of the last sample. `Err(Error::Os(-ENOTSUP))` if the sensor has no
    /// such channel.
    ///
    /// ```no_run
    /// use asyncio::sensor::{Channel, Sensor, SensorValue};
    ///
    /// async fn temperature_and_z(imu: &Sensor) -> asyncio::Result<(SensorValue, SensorValue)> {
    ///     imu.fetch().await?;
    ///     Ok((imu.get(Channel::DIE_TEMP)?, imu.get(Channel::ACCEL_Z)?))
    /// }
    /// ```
    pub fn get(&self, channel: Channel) -> Result<SensorValue> {
        let [value] = self.get_n::<1>(channel)?;
        Ok(value)
    }

    /// A three-axis channel of the last sample (`Channel::ACCEL_XYZ`, `GYRO_XYZ`, `MAGN_XYZ`).
    ///
    /// ```no_run
    /// use asyncio::sensor::{Channel, Sensor};
    ///
    /// async fn spin_rate(imu: &Sensor) -> asyncio::Result<f32> {
    ///     imu.fetch().await?;
    ///     let [_, _, z] = imu.get_xyz(Channel::GYRO_XYZ)?;
    ///     Ok(z.to_f32())
    /// }
    /// ```
    pub fn get_xyz(&self, channel: Channel) -> Result<[SensorValue; 3]> {
        self.get_n::<3>(channel)
    }

    fn get_n<const N: usize>(&self, channel: Channel) -> Result<[SensorValue; N]> {
        let mut raw = [sys::sensor_value::default(); N];
        // SAFETY: a ready sensor; `raw` holds as many values as the channel has.
        match unsafe { sys::sensor_channel_get(self.dev, channel.raw(), raw.as_mut_ptr()) } {
            0 => Ok(raw.map(SensorValue::from)),
            errno => Err(Error::Os(errno)),
        }
    }

    /// [`fetch`](Self::fetch), then [`get`](Self::get).
    ///
    /// ```no_run
    /// use asyncio::sensor::{Channel, Sensor};
    ///
    /// async fn tilt_z(imu: &Sensor) -> asyncio::Result<f32> {
    ///     Ok(imu.read(Channel::ACCEL_Z).await?.to_f32())
    /// }
    /// ```
    pub async fn read(&self, channel: Channel) -> Result<SensorValue> {
        self.fetch().await?;
        self.get(channel)
    }

    /// [`fetch`](Self::fetch), then [`get_xyz`](Self::get_xyz).
    ///
    /// ```no_run
    /// use asyncio::sensor::{Channel, Sensor};
    ///
    /// async fn magnitude(imu: &Sensor) -> asyncio::Result<f32> {
    ///     let [x, y, z] = imu.read_xyz(Channel::ACCEL_XYZ).await?;
    ///     let (x, y, z) = (x.to_f32(), y.to_f32(), z.to_f32());
    ///     Ok(x * x + y * y + z * z) // squared: no sqrt in core
    /// }
    /// ```
    pub async fn read_xyz(&self, channel: Channel) -> Result<[SensorValue; 3]> {
        self.fetch().await?;
        self.get_xyz(channel)
    }
}
