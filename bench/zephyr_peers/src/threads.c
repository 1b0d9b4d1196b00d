/*
 * The Zephyr-threads peer: what the same workloads cost with one thread per activity.
 *
 * - switch: two threads of one priority ping-pong through two k_sem (give, then take);
 * - spawn: create a thread that stores a value, join it; one at a time (each needs a stack);
 * - isr: the timer's expiry raises a k_poll_signal, the thread waits in k_poll (the raw
 *   primitive the asyncio loop parks in);
 * - edge: the timer's expiry toggles an emulated pin; the pin's edge callback (a C ISR, as
 *   board code writes it) gives a k_sem the thread takes.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>
#include <zephyr/drivers/gpio.h>

#include "harness.h"

#define PARTNER_STACK_SIZE 1024

static K_THREAD_STACK_DEFINE(partner_stack, PARTNER_STACK_SIZE);
static struct k_thread partner;
static struct k_sem ping, pong;

static void pong_player(void *rounds, void *unused1, void *unused2)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	for (uintptr_t i = 0; i < (uintptr_t)rounds; i++) {
		k_sem_take(&ping, K_FOREVER);
		k_sem_give(&pong);
	}
}

bool bench_threads_switch(uint32_t rounds)
{
	k_sem_init(&ping, 0, 1);
	k_sem_init(&pong, 0, 1);
	k_thread_create(&partner, partner_stack, PARTNER_STACK_SIZE, pong_player,
			(void *)(uintptr_t)rounds, NULL, NULL, k_thread_priority_get(k_current_get()),
			0, K_NO_WAIT);
	for (uint32_t i = 0; i < rounds; i++) {
		k_sem_give(&ping);
		k_sem_take(&pong, K_FOREVER);
	}
	return k_thread_join(&partner, K_FOREVER) == 0;
}

static void store_value(void *value, void *slot, void *unused)
{
	ARG_UNUSED(unused);
	*(uint32_t *)slot = (uint32_t)(uintptr_t)value;
}

bool bench_threads_spawn(uint32_t n)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t slot = 0;

		k_thread_create(&partner, partner_stack, PARTNER_STACK_SIZE, store_value,
				(void *)(uintptr_t)i, &slot, NULL,
				k_thread_priority_get(k_current_get()), 0, K_NO_WAIT);
		if (k_thread_join(&partner, K_FOREVER) != 0) {
			return false;
		}
		sum += slot;
	}
	return sum == (uint64_t)n * (n - 1) / 2;
}

bool bench_threads_isr(uint32_t n)
{
	struct k_poll_event event =
		K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY,
					 &bench_poll_signal);
	uint32_t woken = 0;

	bench_timer_start(BENCH_ISR_POLL_SIGNAL, n);
	while (woken < n) {
		k_poll(&event, 1, K_FOREVER);
		bench_latency_cycles += k_cycle_get_32() - bench_isr_stamp;
		event.state = K_POLL_STATE_NOT_READY;
		k_poll_signal_reset(&bench_poll_signal);
		woken++;
	}
	return bench_timer_stop() == n;
}

static struct k_sem edge_sem;

static void on_edge(const struct device *port, struct gpio_callback *cb, uint32_t pins)
{
	ARG_UNUSED(port);
	ARG_UNUSED(cb);
	ARG_UNUSED(pins);
	k_sem_give(&edge_sem);
}

bool bench_threads_edge(uint32_t n)
{
	static struct gpio_callback edge_cb;
	uint32_t woken = 0;

	k_sem_init(&edge_sem, 0, 1);
	if (gpio_pin_configure_dt(&bench_pin, GPIO_INPUT) != 0 ||
	    gpio_pin_interrupt_configure_dt(&bench_pin, GPIO_INT_EDGE_BOTH) != 0) {
		return false;
	}
	gpio_init_callback(&edge_cb, on_edge, BIT(bench_pin.pin));
	gpio_add_callback_dt(&bench_pin, &edge_cb);
	bench_timer_start(BENCH_ISR_EDGE, n);
	while (woken < n) {
		k_sem_take(&edge_sem, K_FOREVER);
		bench_latency_cycles += k_cycle_get_32() - bench_isr_stamp;
		woken++;
	}
	bool ok = bench_timer_stop() == n;

	gpio_remove_callback_dt(&bench_pin, &edge_cb);
	gpio_pin_interrupt_configure_dt(&bench_pin, GPIO_INT_DISABLE);
	return ok;
}
