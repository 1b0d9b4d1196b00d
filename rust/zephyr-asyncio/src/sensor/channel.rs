//! [`Channel`]: which quantity of a sensor to read.

use zephyr_asyncio_sys as sys;

/// A sensor channel (Zephyr's `enum sensor_channel`): the common ones by name, any other by
/// its number with [`Channel::from_raw`].
///
/// ```no_run
/// use asyncio::sensor::{Channel, Sensor};
///
/// async fn is_level() -> asyncio::Result<bool> {
///     let imu = Sensor::from_dt(asyncio::dt_node!(imu))?;
///     let [x, y, _] = imu.read_xyz(Channel::ACCEL_XYZ).await?;
///     Ok(x.to_f32().abs() < 0.5 && y.to_f32().abs() < 0.5)
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Channel(sys::sensor_channel);

macro_rules! channels {
    ($($name:ident = $zephyr:ident: $what:literal;)*) => {
        impl Channel {
            $(
                #[doc = $what]
                pub const $name: Channel = Channel(sys::$zephyr);
            )*
        }
    };
}

channels! {
    ACCEL_X = sensor_channel_SENSOR_CHAN_ACCEL_X: "Acceleration along X, m/s².";
    ACCEL_Y = sensor_channel_SENSOR_CHAN_ACCEL_Y: "Acceleration along Y, m/s².";
    ACCEL_Z = sensor_channel_SENSOR_CHAN_ACCEL_Z: "Acceleration along Z, m/s².";
    ACCEL_XYZ = sensor_channel_SENSOR_CHAN_ACCEL_XYZ: "Acceleration, three axes, m/s².";
    GYRO_X = sensor_channel_SENSOR_CHAN_GYRO_X: "Angular velocity about X, rad/s.";
    GYRO_Y = sensor_channel_SENSOR_CHAN_GYRO_Y: "Angular velocity about Y, rad/s.";
    GYRO_Z = sensor_channel_SENSOR_CHAN_GYRO_Z: "Angular velocity about Z, rad/s.";
    GYRO_XYZ = sensor_channel_SENSOR_CHAN_GYRO_XYZ: "Angular velocity, three axes, rad/s.";
    MAGN_XYZ = sensor_channel_SENSOR_CHAN_MAGN_XYZ: "Magnetic field, three axes, gauss.";
    DIE_TEMP = sensor_channel_SENSOR_CHAN_DIE_TEMP: "The sensor's own temperature, °C.";
    AMBIENT_TEMP = sensor_channel_SENSOR_CHAN_AMBIENT_TEMP: "Ambient temperature, °C.";
    PRESS = sensor_channel_SENSOR_CHAN_PRESS: "Pressure, kPa.";
    HUMIDITY = sensor_channel_SENSOR_CHAN_HUMIDITY: "Relative humidity, %.";
    LIGHT = sensor_channel_SENSOR_CHAN_LIGHT: "Illuminance, lux.";
    DISTANCE = sensor_channel_SENSOR_CHAN_DISTANCE: "Distance, m.";
}

impl Channel {
    /// Channel number `raw` of Zephyr's `enum sensor_channel` (a vendor channel...).
    ///
    /// ```no_run
    /// use asyncio::sensor::{Channel, Sensor};
    ///
    /// /// A vendor channel: `SENSOR_CHAN_PRIV_START` (0x8000) onwards, as the driver's header says.
    /// const GAS_INDEX: Channel = Channel::from_raw(0x8000 + 1);
    ///
    /// async fn air_quality() -> asyncio::Result<i32> {
    ///     let gas = Sensor::from_dt(asyncio::dt_node!(imu))?;
    ///     Ok(gas.read(GAS_INDEX).await?.val1)
    /// }
    /// ```
    #[allow(clippy::unnecessary_cast)] // a C enum: `u32` or `i32`, as the target's ABI says
    pub const fn from_raw(raw: u32) -> Channel {
        Channel(raw as sys::sensor_channel)
    }

    /// Its number in Zephyr's `enum sensor_channel`.
    ///
    /// ```no_run
    /// use asyncio::sensor::Channel;
    ///
    /// fn log_channel(channel: Channel) {
    ///     log::debug!("channel {}", channel.raw()); // Zephyr's enum sensor_channel number
    /// }
    /// ```
    #[allow(clippy::unnecessary_cast)] // as in `from_raw`
    pub const fn raw(self) -> u32 {
        self.0 as u32
    }
}
