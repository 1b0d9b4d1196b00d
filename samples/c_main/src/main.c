/*
 * A C application that hands its main thread to the asyncio loop: it sets the board up as
 * usual, lets the Rust side create its tasks, then runs the loop until a task stops it.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>

#include <asyncio.h>

/* Rust (src/lib.rs): creates the application's tasks on this thread's loop. */
extern void app_create_tasks(void);

int main(void)
{
	int err;

	printk("C main: board ready, starting the asyncio loop\n");
	app_create_tasks();
	err = asyncio_run_forever();
	printk("C main: the loop stopped (%d)\n", err);
	return 0;
}
