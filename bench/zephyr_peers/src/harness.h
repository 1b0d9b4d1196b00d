/* SPDX-License-Identifier: Apache-2.0 */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <zephyr/drivers/gpio.h>

/* Whom the timer's expiry wakes (the values are shared with src/lib.rs). */
enum bench_isr_target {
	BENCH_ISR_BARE = 0,
	BENCH_ISR_ASYNCIO = 1,
	BENCH_ISR_EMBASSY = 2,
	BENCH_ISR_POLL_SIGNAL = 3,
	/* The expiry toggles the emulated pin `bench_pin`; its edge interrupt wakes the peer. */
	BENCH_ISR_EDGE = 4,
};

extern struct k_poll_signal bench_poll_signal;
extern const struct gpio_dt_spec bench_pin;
extern uint32_t bench_isr_stamp;
extern uint64_t bench_latency_cycles;

/* Counts from zero the expiries (n wanted) and the latencies, for `target`; stops nothing. */
void bench_timer_reset(enum bench_isr_target target, uint32_t n);
/* bench_timer_reset, then one expiry per tick. */
void bench_timer_start(enum bench_isr_target target, uint32_t n);
/* One expiry, delay_us from now (the loaded workload re-arms it after each wake). */
void bench_timer_once(uint32_t delay_us);
uint32_t bench_timer_stop(void);

#endif
