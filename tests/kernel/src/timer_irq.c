/*
 * A timer peripheral's own interrupt (not the system clock's) sets a Rust ThreadSafeFlag
 * through asyncio.h.
 *
 * - qemu_cortex_m3: general-purpose timer 0 of the LM3S6965 (IRQ 19), which QEMU emulates.
 *   Zephyr has no driver for it, so it is programmed here through its registers: one-shot,
 *   32-bit, time-out interrupt.
 * - elsewhere, a counter device through Zephyr's counter API, whose alarm callback runs in its
 *   interrupt: native_sim's counter0 (zephyr,native-sim-counter, a simulated interrupt);
 *   qemu_cortex_m0's TIMER1 (the nRF51's, enabled by the board overlay).
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>
#include <zephyr/irq.h>
#include <zephyr/sys/sys_io.h>
#include <zephyr/drivers/counter.h>

#include <asyncio.h>

/* Defined in Rust (src/timer_irq.rs). */
extern const AsyncioFlag timer_fired;

/* What the handler saw, for the Rust side to check. */
int64_t timer_fired_ticks;
bool timer_fired_in_isr;
/* The interrupt line the handler ran for, and the timer's own line (-1: not known). */
int32_t timer_fired_irq = -1;
extern const int32_t timer_irq_line;

static void fired(void)
{
	timer_fired_ticks = k_uptime_ticks();
	timer_fired_in_isr = k_is_in_isr();
	asyncio_flag_set(&timer_fired);
}

#if defined(CONFIG_SOC_TI_LM3S6965)

#define GPTM0_BASE 0x40030000
#define GPTM0_IRQ 19
#define GPTM_CFG 0x00
#define GPTM_TAMR 0x04
#define GPTM_CTL 0x0c
#define GPTM_IMR 0x18
#define GPTM_ICR 0x24
#define GPTM_TAILR 0x28
#define GPTM_CFG_32_BIT 0
#define GPTM_TAMR_ONE_SHOT 1
#define GPTM_TATO BIT(0) /* timer A time-out: IMR, ICR */
#define GPTM_TAEN BIT(0) /* timer A enable: CTL */

const int32_t timer_irq_line = GPTM0_IRQ;

static void gptm0_isr(const void *arg)
{
	ARG_UNUSED(arg);
	sys_write32(GPTM_TATO, GPTM0_BASE + GPTM_ICR);
	timer_fired_irq = (int32_t)(__get_IPSR() - 16);
	fired();
}

int timer_irq_init(void)
{
	IRQ_CONNECT(GPTM0_IRQ, 0, gptm0_isr, NULL, 0);
	irq_enable(GPTM0_IRQ);
	return 0;
}

int timer_irq_start(uint32_t us)
{
	uint64_t cycles = (uint64_t)us * sys_clock_hw_cycles_per_sec() / USEC_PER_SEC;

	sys_write32(0, GPTM0_BASE + GPTM_CTL);
	sys_write32(GPTM_CFG_32_BIT, GPTM0_BASE + GPTM_CFG);
	sys_write32(GPTM_TAMR_ONE_SHOT, GPTM0_BASE + GPTM_TAMR);
	sys_write32((uint32_t)cycles, GPTM0_BASE + GPTM_TAILR);
	sys_write32(GPTM_TATO, GPTM0_BASE + GPTM_IMR);
	sys_write32(GPTM_TAEN, GPTM0_BASE + GPTM_CTL);
	return 0;
}

#else /* the board's counter device */

#if DT_NODE_HAS_STATUS_OKAY(DT_NODELABEL(counter0))
#define COUNTER_NODE DT_NODELABEL(counter0)
#else
#define COUNTER_NODE DT_NODELABEL(timer1)
#endif

#if defined(CONFIG_CPU_CORTEX_M)
const int32_t timer_irq_line = DT_IRQN(COUNTER_NODE);
#define CURRENT_IRQ() ((int32_t)__get_IPSR() - 16)
#else
const int32_t timer_irq_line = -1;
#define CURRENT_IRQ() (-1)
#endif

static const struct device *const counter = DEVICE_DT_GET(COUNTER_NODE);

static void on_alarm(const struct device *dev, uint8_t chan, uint32_t ticks, void *user_data)
{
	ARG_UNUSED(dev);
	ARG_UNUSED(chan);
	ARG_UNUSED(ticks);
	ARG_UNUSED(user_data);
	timer_fired_irq = CURRENT_IRQ();
	fired();
}

int timer_irq_init(void)
{
	return device_is_ready(counter) ? counter_start(counter) : -ENODEV;
}

int timer_irq_start(uint32_t us)
{
	struct counter_alarm_cfg alarm = {
		.callback = on_alarm,
		.ticks = counter_us_to_ticks(counter, us),
	};

	return counter_set_channel_alarm(counter, 0, &alarm);
}

#endif
