/*
 * What every peer shares: the command line and the end of a run (native_sim), and the timer
 * whose expiry (in the system clock's interrupt) wakes the peer in the ISR workload, stamping
 * the cycle counter so the woken side can measure its latency.
 *
 * native_sim: zephyr.exe --no-rt -testargs <peer> <workload> <n>
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <stdlib.h>
#include <string.h>
#include <zephyr/kernel.h>
#include <zephyr/sys/printk.h>

#include <zephyr/drivers/gpio.h>
#include <zephyr/drivers/gpio/gpio_emul.h>

#include <asyncio.h>

#include "harness.h"

#ifdef CONFIG_ARCH_POSIX
/* native_sim's command line (boards/native/native_sim/cmdline.h) and exit. */
void native_get_test_cmd_line_args(int *argc, char ***argv);
void posix_exit(int exit_code);

/*
 * Under callgrind, counting stops when the workload ends: the exit that follows tears down
 * native_sim's host threads, whose instruction count varies from run to run. Outside valgrind
 * the request is a few no-op instructions.
 */
#include <valgrind/callgrind.h>
#endif

/* Defined in Rust: what the expiry wakes for the asyncio and embassy peers. */
extern const AsyncioFlag bench_isr_flag;
void bench_embassy_isr_signal(void);

static struct k_timer tick_timer;
/* The edge workload's pin, on the GPIO emulator (boards/), and its level now. */
const struct gpio_dt_spec bench_pin = GPIO_DT_SPEC_GET(DT_NODELABEL(bench_pin), gpios);
static int bench_pin_level;
static enum bench_isr_target isr_target;
static uint32_t expiries, expiries_wanted;
static struct k_sem bare_done;
struct k_poll_signal bench_poll_signal = K_POLL_SIGNAL_INITIALIZER(bench_poll_signal);
/* The cycle counter when the last expiry ran, and the woken side's summed latency. */
uint32_t bench_isr_stamp;
uint64_t bench_latency_cycles;

#ifdef CONFIG_ARCH_POSIX
int bench_args(const char **peer, const char **workload, uint32_t *n)
{
	int argc;
	char **argv;

	native_get_test_cmd_line_args(&argc, &argv);
	if (argc != 3) {
		printk("usage: zephyr.exe --no-rt -testargs <peer> <workload> <n>\n");
		return -EINVAL;
	}
	*peer = argv[0];
	*workload = argv[1];
	*n = strtoul(argv[2], NULL, 10);
	return 0;
}

void bench_finish(const char *peer, const char *workload, uint32_t n, bool ok)
{
	CALLGRIND_STOP_INSTRUMENTATION;
	printk("bench %s %s %u: %s\n", peer, workload, n, ok ? "done" : "FAILED");
	posix_exit(ok ? 0 : 1);
}
#endif

static void on_expiry(struct k_timer *timer)
{
	ARG_UNUSED(timer);
	bench_isr_stamp = k_cycle_get_32();
	expiries++;
	switch (isr_target) {
	case BENCH_ISR_BARE:
		if (expiries == expiries_wanted) {
			k_sem_give(&bare_done);
		}
		break;
	case BENCH_ISR_ASYNCIO:
		asyncio_flag_set(&bench_isr_flag);
		break;
	case BENCH_ISR_EMBASSY:
		bench_embassy_isr_signal();
		break;
	case BENCH_ISR_POLL_SIGNAL:
		k_poll_signal_raise(&bench_poll_signal, 0);
		break;
	case BENCH_ISR_EDGE:
		/* The emulator runs the pin's callbacks right here, in the interrupt. */
		bench_pin_level ^= 1;
		gpio_emul_input_set(bench_pin.port, bench_pin.pin, bench_pin_level);
		if (expiries == expiries_wanted) {
			k_sem_give(&bare_done);
		}
		break;
	}
}

void bench_timer_reset(enum bench_isr_target target, uint32_t n)
{
	isr_target = target;
	expiries = 0;
	expiries_wanted = n;
	bench_latency_cycles = 0;
	k_sem_init(&bare_done, 0, 1);
	k_timer_init(&tick_timer, on_expiry, NULL);
}

void bench_timer_start(enum bench_isr_target target, uint32_t n)
{
	bench_timer_reset(target, n);
	k_timer_start(&tick_timer, K_TICKS(1), K_TICKS(1));
}

void bench_timer_once(uint32_t delay_us)
{
	k_timer_start(&tick_timer, K_USEC(delay_us), K_NO_WAIT);
}

uint32_t bench_timer_stop(void)
{
	k_timer_stop(&tick_timer);
	return expiries;
}

/* The bare timer: the cost of a tick and its expiry with nobody to wake (the floor the ISR
 * workload's figures are measured above). */
bool bench_bare_isr(uint32_t n)
{
	bench_timer_start(BENCH_ISR_BARE, n);
	k_sem_take(&bare_done, K_FOREVER);
	return bench_timer_stop() == n;
}

/* The bare edge: each expiry toggles the input pin, which nobody listens to (the floor of the
 * edge workload). */
bool bench_bare_edge(uint32_t n)
{
	if (gpio_pin_configure_dt(&bench_pin, GPIO_INPUT) != 0) {
		return false;
	}
	bench_timer_start(BENCH_ISR_EDGE, n);
	k_sem_take(&bare_done, K_FOREVER);
	return bench_timer_stop() == n;
}
