//! [`Pwm::fade_to`]: a fade in small steps on the loop's timer, while every other task runs.

use asyncio_core::{get_event_loop, sleep_until, Result};

use super::channel::Pwm;

/// `CONFIG_ASYNCIO_PWM_FADE_STEP_MS`: how often a fade changes the duty.
pub const FADE_STEP_MS: u32 = zephyr::kconfig::CONFIG_ASYNCIO_PWM_FADE_STEP_MS as u32;

impl Pwm {
    /// Fades from the duty now to `duty` over `ms` milliseconds, linearly, a step every
    /// [`FADE_STEP_MS`] (steps fall on a fixed schedule, so a late step does not stretch the
    /// fade). Returns when the fade is done, or early, with `Ok`, if a later
    /// [`set_duty_u16`](Pwm::set_duty_u16) or fade took the channel over. Cancelled, it
    /// leaves the duty where it was.
    ///
    /// ```no_run
    /// use asyncio::pwm::Pwm;
    ///
    /// async fn wake_up_light(lamp: &Pwm) -> asyncio::Result<()> {
    ///     lamp.fade_to(u16::MAX, 30_000).await // half a minute to full brightness
    /// }
    /// ```
    pub async fn fade_to(&self, duty: u16, ms: u32) -> Result<()> {
        let generation = self.supersede();
        let from = i64::from(self.duty_u16());
        let to = i64::from(duty);
        let steps = (ms / FADE_STEP_MS.max(1)).max(1);
        let clock = get_event_loop();
        let start = clock.time();
        let ticks_per_second = u64::from(clock.ticks_per_second());
        for step in 1..=steps {
            // Step `step` is due `step / steps` of the way through, rounded up to a tick.
            let due = (u64::from(step) * u64::from(ms) * ticks_per_second)
                .div_ceil(u64::from(steps) * 1000);
            sleep_until(start.add_ticks(due)).await?;
            if self.state.generation.get() != generation {
                return Ok(());
            }
            let level = from + (to - from) * i64::from(step) / i64::from(steps);
            self.write(level as u16)?;
        }
        Ok(())
    }
}
