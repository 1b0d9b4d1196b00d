/*
 * The work queue asyncio's offload() runs blocking calls on, so they never stall the loop.
 * Its stack size and priority come from Kconfig; keep the priority below the loop thread's, so
 * the loop preempts a CPU-bound call whenever it has work.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/init.h>
#include <zephyr/kernel.h>

K_THREAD_STACK_DEFINE(asyncio_offload_stack, CONFIG_ASYNCIO_OFFLOAD_STACK_SIZE);

/* Used by rust/zephyr-asyncio/src/offload.rs. */
struct k_work_q asyncio_offload_queue;

static int asyncio_offload_init(void)
{
	static const struct k_work_queue_config config = {
		.name = "asyncio_offload",
	};

	k_work_queue_init(&asyncio_offload_queue);
	k_work_queue_start(&asyncio_offload_queue, asyncio_offload_stack,
			   K_THREAD_STACK_SIZEOF(asyncio_offload_stack),
			   CONFIG_ASYNCIO_OFFLOAD_PRIORITY, &config);
	return 0;
}

SYS_INIT(asyncio_offload_init, POST_KERNEL, CONFIG_KERNEL_INIT_PRIORITY_DEFAULT);
