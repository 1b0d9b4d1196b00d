/*
 * Lines from the console UART, for asyncio::serial (rust/zephyr-asyncio/src/serial.rs). The
 * receive interrupt handler (an ISR on hardware; on native_sim the UART driver's polling
 * thread) collects characters and puts each complete line into the k_msgq
 * `asyncio_serial_lines` without waiting: ISR-safe, and the task awaiting the queue wakes in the
 * loop's k_poll. Nothing is lost silently: a line longer than CONFIG_ASYNCIO_SERIAL_LINE_MAX is
 * delivered flagged `too_long` (its first bytes kept), and a line that finds the queue full is
 * counted in `asyncio_serial_lines_dropped`.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>
#include <zephyr/device.h>
#include <zephyr/drivers/uart.h>
#include <zephyr/sys/atomic.h>

/* A line as the Rust side sees it (serial.rs: struct RawLine). */
struct asyncio_serial_line {
	uint16_t len;
	uint8_t too_long;
	char text[CONFIG_ASYNCIO_SERIAL_LINE_MAX];
};

K_MSGQ_DEFINE(asyncio_serial_lines, sizeof(struct asyncio_serial_line),
	      CONFIG_ASYNCIO_SERIAL_LINE_QUEUE, 4);
atomic_t asyncio_serial_lines_dropped;

static const struct device *const uart = DEVICE_DT_GET(DT_CHOSEN(zephyr_console));
static struct asyncio_serial_line current;

static void end_line(void)
{
	if (current.len > 0 || current.too_long) {
		if (k_msgq_put(&asyncio_serial_lines, &current, K_NO_WAIT) != 0) {
			atomic_inc(&asyncio_serial_lines_dropped);
		}
	}
	current.len = 0;
	current.too_long = 0;
}

static void on_uart(const struct device *dev, void *user_data)
{
	uint8_t c;

	ARG_UNUSED(user_data);
	if (!uart_irq_update(dev) || !uart_irq_rx_ready(dev)) {
		return;
	}
	while (uart_fifo_read(dev, &c, 1) == 1) {
		if (c == '\n' || c == '\r') {
			end_line();
		} else if (current.len < CONFIG_ASYNCIO_SERIAL_LINE_MAX) {
			current.text[current.len++] = (char)c;
		} else {
			current.too_long = 1;
		}
	}
}

/* Enables the console UART's receive interrupt; 0 or a negative errno. Idempotent. */
int asyncio_serial_lines_start(void)
{
	static bool started;
	int err;

	if (started) {
		return 0;
	}
	if (!device_is_ready(uart)) {
		return -ENODEV;
	}
	err = uart_irq_callback_user_data_set(uart, on_uart, NULL);
	if (err == 0) {
		uart_irq_rx_enable(uart);
		started = true;
	}
	return err;
}
