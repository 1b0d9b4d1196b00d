/*
 * An emulated push button: pin 1 of the board's gpio_emul controller, rising-edge interrupt. A k_timer expiry
 * function (interrupt context) drives the edge, so the GPIO callback runs in an ISR exactly as
 * a real button's would, and sets a Rust ThreadSafeFlag through asyncio.h.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>
#include <zephyr/drivers/gpio.h>
#include <zephyr/drivers/gpio/gpio_emul.h>

#include <asyncio.h>

#define BUTTON_PIN 1

/* Defined in Rust (src/button.rs). */
extern const AsyncioFlag button_pressed;

/* What the callback saw, for the Rust side to check. */
int64_t button_edge_ticks;
bool button_edge_in_isr;

static const struct device *const port = DEVICE_DT_GET_ONE(zephyr_gpio_emul);
static struct gpio_callback button_cb;

static void on_edge(const struct device *dev, struct gpio_callback *cb, uint32_t pins)
{
	ARG_UNUSED(dev);
	ARG_UNUSED(cb);
	ARG_UNUSED(pins);
	button_edge_ticks = k_uptime_ticks();
	button_edge_in_isr = k_is_in_isr();
	asyncio_flag_set(&button_pressed);
}

static void press(struct k_timer *timer)
{
	ARG_UNUSED(timer);
	gpio_emul_input_set(port, BUTTON_PIN, 0);
	gpio_emul_input_set(port, BUTTON_PIN, 1);
}

K_TIMER_DEFINE(press_timer, press, NULL);

int button_init(void)
{
	int err = gpio_pin_configure(port, BUTTON_PIN, GPIO_INPUT);

	if (err == 0) {
		err = gpio_pin_interrupt_configure(port, BUTTON_PIN, GPIO_INT_EDGE_RISING);
	}
	if (err == 0) {
		gpio_init_callback(&button_cb, on_edge, BIT(BUTTON_PIN));
		err = gpio_add_callback(port, &button_cb);
	}
	return err;
}

void button_press_in(int32_t ticks)
{
	k_timer_start(&press_timer, K_TICKS(ticks), K_NO_WAIT);
}
