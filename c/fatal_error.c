/*
 * A fatal error (a Rust panic ends in k_panic()) while an asyncio task runs: name the task,
 * then halt as Zephyr's default handler does. Zephyr itself only knows the thread (the loop's).
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>
#include <zephyr/fatal.h>
#include <zephyr/logging/log_ctrl.h>
#include <zephyr/sys/printk.h>

#include <asyncio.h>

void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	const char *task = asyncio_current_task_name();

	ARG_UNUSED(esf);
	if (task != NULL) {
		printk("asyncio: fatal error in task '%s'\n", task);
	}
	LOG_PANIC();
	printk("Halting system\n");
	k_fatal_halt(reason);
}
