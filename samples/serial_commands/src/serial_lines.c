/*
 * Lines from the console UART, for a Rust task to await. The receive interrupt handler (on real
 * hardware an ISR; on native_sim the UART driver's polling thread) collects characters and
 * puts each complete line into the k_msgq `serial_lines` without waiting: ISR-safe, and the
 * task awaiting the queue wakes in the loop's k_poll. Nothing is lost silently: a line longer
 * than the buffer is delivered flagged `too_long`, and a line that finds the queue full is
 * counted in `serial_lines_dropped`.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>
#include <zephyr/device.h>
#include <zephyr/drivers/uart.h>
#include <zephyr/sys/atomic.h>

#define LINE_MAX 64

/* A line as the Rust side sees it (src/lib.rs: struct Line). */
struct serial_line {
	uint16_t len;
	uint8_t too_long;
	char text[LINE_MAX];
};

K_MSGQ_DEFINE(serial_lines, sizeof(struct serial_line), 4, 4);
atomic_t serial_lines_dropped;

static const struct device *const uart = DEVICE_DT_GET(DT_CHOSEN(zephyr_console));
static struct serial_line current;

static void end_line(void)
{
	if (current.len > 0 || current.too_long) {
		if (k_msgq_put(&serial_lines, &current, K_NO_WAIT) != 0) {
			atomic_inc(&serial_lines_dropped);
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
		} else if (current.len < LINE_MAX) {
			current.text[current.len++] = (char)c;
		} else {
			current.too_long = 1;
		}
	}
}

int serial_lines_init(void)
{
	int err;

	if (!device_is_ready(uart)) {
		return -ENODEV;
	}
	err = uart_irq_callback_user_data_set(uart, on_uart, NULL);
	if (err == 0) {
		uart_irq_rx_enable(uart);
	}
	return err;
}
