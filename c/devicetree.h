/*
 * The devicetree's pin and PWM specs by node (c/devicetree.c), for the Rust adapters.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#ifndef ASYNCIO_DEVICETREE_H
#define ASYNCIO_DEVICETREE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef CONFIG_ASYNCIO_GPIO
#include <zephyr/drivers/gpio.h>

/* A pin of an enabled node: entry `idx` of its `gpios`. */
struct asyncio_dt_pin {
	uint32_t ord;
	uint8_t idx;
	/* The controller is Zephyr's GPIO emulator: software may drive the pin's input. */
	bool emulated;
	struct gpio_dt_spec spec;
};

/* Pin `idx` of the node of dependency ordinal `ord`: 0, or -ENOENT if it has none (no such
 * `gpios` entry, the node disabled, or the pin's controller disabled). */
int asyncio_dt_find_pin(uint32_t ord, uint8_t idx, struct asyncio_dt_pin *out);
#endif

#ifdef CONFIG_ASYNCIO_PWM
#include <zephyr/drivers/pwm.h>

/* The PWM channel of an enabled node: its `pwms`' first entry. */
struct asyncio_dt_pwm {
	uint32_t ord;
	struct pwm_dt_spec spec;
};

/* As asyncio_dt_find_pin, for `pwms`. */
int asyncio_dt_find_pwm(uint32_t ord, struct asyncio_dt_pwm *out);
#endif

#endif /* ASYNCIO_DEVICETREE_H */
