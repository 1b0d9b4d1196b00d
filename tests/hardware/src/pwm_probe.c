/*
 * What the fake PWM controller (Zephyr's FFF-based pwm_fake) was asked to do, for the Rust
 * PWM case: how many set_cycles calls, and each call's period and pulse in cycles.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/drivers/pwm/pwm_fake.h>

uint32_t pwm_probe_calls(void)
{
	return fake_pwm_set_cycles_fake.call_count;
}

/* Call `i` since the last reset (FFF records the first FFF_ARG_HISTORY_LEN): 0, or -1 if it
 * is not recorded. */
int pwm_probe_call(uint32_t i, uint32_t *period, uint32_t *pulse)
{
	if (i >= FFF_ARG_HISTORY_LEN || i >= pwm_probe_calls()) {
		return -1;
	}
	*period = fake_pwm_set_cycles_fake.arg2_history[i];
	*pulse = fake_pwm_set_cycles_fake.arg3_history[i];
	return 0;
}

void pwm_probe_reset(void)
{
	RESET_FAKE(fake_pwm_set_cycles);
}
