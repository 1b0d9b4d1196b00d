/*
 * asyncio::input: one callback for the events of every input device, handing each to the
 * Rust streams that want it (rust/zephyr-asyncio/src/input/registry.rs). Input callbacks are
 * registered with a macro (an iterable section), hence this file. It runs in the input thread
 * (CONFIG_INPUT_MODE_THREAD) or in the reporting driver's context, possibly an interrupt;
 * the Rust side is interrupt-safe.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/input/input.h>

/* Defined in Rust. */
void asyncio_input_event(const struct device *dev, uint8_t type, uint16_t code, int32_t value,
			 bool sync);

static void on_input(struct input_event *evt, void *user_data)
{
	ARG_UNUSED(user_data);
	asyncio_input_event(evt->dev, evt->type, evt->code, evt->value, evt->sync);
}

INPUT_CALLBACK_DEFINE(NULL, on_input, NULL);
