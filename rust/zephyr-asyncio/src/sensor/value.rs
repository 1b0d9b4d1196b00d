//! [`SensorValue`]: a reading in Zephyr's fixed-point form.

use core::fmt;

use zephyr_asyncio_sys as sys;

/// A reading: `val1` whole units plus `val2` millionths (Zephyr's `struct sensor_value`; the
/// units are the channel's: m/s², °C, hPa...), shown with six decimals.
///
/// ```
/// use alloc::string::ToString;
/// use asyncio::sensor::SensorValue;
///
/// fn show() {
///     let g = SensorValue::new(9, 806_650);
///     assert_eq!(g.micros(), 9_806_650);
///     assert_eq!(g.to_string(), "9.806650");
///     assert_eq!(SensorValue::new(-1, -500_000).to_string(), "-1.500000");
/// }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SensorValue {
    /// Whole units.
    pub val1: i32,
    /// Millionths, with the sign of `val1` (or negative when `val1` is 0).
    pub val2: i32,
}

impl SensorValue {
    /// `val1` units and `val2` millionths.
    ///
    /// ```
    /// use asyncio::sensor::SensorValue;
    ///
    /// /// A threshold in the sensor's own form: 1.5 g.
    /// const SHAKE: SensorValue = SensorValue::new(14, 709_975);
    /// # fn _use() -> i64 { SHAKE.micros() }
    /// ```
    pub const fn new(val1: i32, val2: i32) -> Self {
        SensorValue { val1, val2 }
    }

    /// The value in millionths of a unit.
    ///
    /// ```
    /// use asyncio::sensor::SensorValue;
    ///
    /// fn shaken(reading: SensorValue) -> bool {
    ///     reading.micros().abs() > 14_709_975 // 1.5 g in µm/s², exact integer maths
    /// }
    /// ```
    pub const fn micros(self) -> i64 {
        self.val1 as i64 * 1_000_000 + self.val2 as i64
    }

    /// The value as a float.
    ///
    /// ```
    /// use asyncio::sensor::SensorValue;
    ///
    /// fn celsius_to_fahrenheit(t: SensorValue) -> f32 {
    ///     t.to_f32() * 9.0 / 5.0 + 32.0
    /// }
    /// ```
    pub fn to_f32(self) -> f32 {
        self.val1 as f32 + self.val2 as f32 / 1_000_000.0
    }
}

impl From<sys::sensor_value> for SensorValue {
    fn from(raw: sys::sensor_value) -> Self {
        SensorValue::new(raw.val1, raw.val2)
    }
}

impl fmt::Display for SensorValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let micros = self.micros();
        let sign = if micros < 0 { "-" } else { "" };
        let micros = micros.unsigned_abs();
        write!(f, "{sign}{}.{:06}", micros / 1_000_000, micros % 1_000_000)
    }
}
