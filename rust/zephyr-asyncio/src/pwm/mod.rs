//! PWM channels of the devicetree (a `pwms` property: pwm-leds children, servo nodes...),
//! with duty in MicroPython's `duty_u16` terms, and LED fades that run as tasks. Enabled by
//! `CONFIG_ASYNCIO_PWM` (on by default with `CONFIG_PWM`).
//!
//! | MicroPython | here |
//! |---|---|
//! | `pwm = PWM(Pin("LED"), freq=1000)` | `Pwm::from_dt(dt_node!(pwm_led0))?` (period and polarity from the devicetree) |
//! | `pwm.duty_u16(32768)` | `pwm.set_duty_u16(32768)?` |
//! | `pwm.freq(500)` | `pwm.set_period_ns(2_000_000)?` |
//! | a fading loop of `duty_u16` + `await asyncio.sleep_ms(10)` | `pwm.fade_to(65535, 300).await?` |
//!
//! ```no_run
//! use asyncio::pwm::Pwm;
//! use asyncio::{create_task, dt_node};
//!
//! async fn breathe() -> asyncio::Result<()> {
//!     let led = Pwm::from_dt(dt_node!(pwm_led0))?;
//!     loop {
//!         led.fade_to(u16::MAX, 1000).await?;
//!         led.fade_to(0, 1000).await?;
//!     }
//! }
//!
//! # fn start() {
//! let _breathing = create_task(breathe()); // fades while every other task runs
//! # }
//! ```

mod channel;
mod fade;

pub use channel::Pwm;
pub use fade::FADE_STEP_MS;
