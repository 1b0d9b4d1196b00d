/*
 * The button (devicetree alias sw0) and its interrupt handler. The handler does what an ISR
 * should: note the time and set the flag the Rust task awaits; asyncio_flag_set() wakes the
 * loop at once through its k_poll_signal.
 *
 * On native_sim and qemu_cortex_m3, whose button is emulated (see boards/), a k_timer
 * expiry function -- interrupt context too -- presses it three times, 250 ms apart.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>
#include <zephyr/drivers/gpio.h>

#include <asyncio.h>

/* Defined in Rust (src/lib.rs). */
extern const AsyncioFlag button_pressed;

int64_t button_pressed_at; /* k_uptime_ticks() in the interrupt handler */

static const struct gpio_dt_spec button = GPIO_DT_SPEC_GET(DT_ALIAS(sw0), gpios);
static struct gpio_callback button_cb;

static void on_press(const struct device *port, struct gpio_callback *cb, uint32_t pins)
{
	ARG_UNUSED(port);
	ARG_UNUSED(cb);
	ARG_UNUSED(pins);
	button_pressed_at = k_uptime_ticks();
	asyncio_flag_set(&button_pressed);
}

#ifdef CONFIG_GPIO_EMUL
#include <zephyr/drivers/gpio/gpio_emul.h>

#define PRESSES 3

static void finger(struct k_timer *timer)
{
	static int presses;

	gpio_emul_input_set(button.port, button.pin, 1);
	gpio_emul_input_set(button.port, button.pin, 0);
	if (++presses == PRESSES) {
		k_timer_stop(timer);
	}
}

K_TIMER_DEFINE(finger_timer, finger, NULL);
#endif

int button_init(void)
{
	int err;

	if (!gpio_is_ready_dt(&button)) {
		return -ENODEV;
	}
	err = gpio_pin_configure_dt(&button, GPIO_INPUT);
	if (err == 0) {
		err = gpio_pin_interrupt_configure_dt(&button, GPIO_INT_EDGE_TO_ACTIVE);
	}
	if (err == 0) {
		gpio_init_callback(&button_cb, on_press, BIT(button.pin));
		err = gpio_add_callback_dt(&button, &button_cb);
	}
#ifdef CONFIG_GPIO_EMUL
	if (err == 0) {
		k_timer_start(&finger_timer, K_MSEC(250), K_MSEC(250));
	}
#endif
	return err;
}
