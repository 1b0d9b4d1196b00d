/*
 * `asyncio tasks` in Zephyr's shell. The loop's tasks belong to the loop's thread, so the
 * shell's thread asks (asyncio_shell_request_dump, which wakes the loop) and the loop writes
 * the listing here at its next scheduling round (rust/zephyr-asyncio/src/shell.rs).
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <string.h>
#include <zephyr/kernel.h>
#include <zephyr/shell/shell.h>

/* In Rust (src/shell.rs). */
void asyncio_shell_request_dump(void);

static K_SEM_DEFINE(dump_ready, 0, 1);
static char dump[CONFIG_ASYNCIO_SHELL_DUMP_SIZE];
static size_t dump_len;

/* Called by the loop's thread with the listing. */
void asyncio_shell_dump_ready(const char *text, size_t len)
{
	static const char cut[] = "\n(cut: raise CONFIG_ASYNCIO_SHELL_DUMP_SIZE)\n";

	if (len > sizeof(dump)) {
		len = sizeof(dump) - sizeof(cut) + 1;
		memcpy(dump, text, len);
		memcpy(dump + len, cut, sizeof(cut) - 1);
		len += sizeof(cut) - 1;
	} else {
		memcpy(dump, text, len);
	}
	dump_len = len;
	k_sem_give(&dump_ready);
}

static int cmd_tasks(const struct shell *sh, size_t argc, char **argv)
{
	ARG_UNUSED(argc);
	ARG_UNUSED(argv);
	k_sem_reset(&dump_ready);
	asyncio_shell_request_dump();
	if (k_sem_take(&dump_ready, K_SECONDS(1)) != 0) {
		shell_error(sh, "asyncio: no answer from the loop within 1 s: no loop runs, or a "
				"task is holding it (see the slow-task warnings)");
		return -EBUSY;
	}
	shell_print(sh, "%.*s", (int)dump_len, dump);
	return 0;
}

SHELL_STATIC_SUBCMD_SET_CREATE(asyncio_commands,
	SHELL_CMD(tasks, NULL, "The loop's tasks (state, age, polls) and counters.", cmd_tasks),
	SHELL_SUBCMD_SET_END);
SHELL_CMD_REGISTER(asyncio, &asyncio_commands, "asyncio event loop", NULL);
