/*
 * `asyncio tasks` in Zephyr's shell. A loop's tasks belong to the loop's thread, so the
 * shell's thread asks each loop in turn (asyncio_shell_request_dump, a remote call that wakes
 * the loop) and the loop writes its listing here at its next scheduling round
 * (rust/zephyr-asyncio/src/shell.rs).
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <string.h>
#include <zephyr/kernel.h>
#include <zephyr/shell/shell.h>

/* In Rust (src/shell.rs): 1 asked, 0 no loop of that index, -EBUSY an answer is pending. */
int asyncio_shell_request_dump(size_t index);

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
	size_t index = 0;

	for (;; index++) {
		k_sem_reset(&dump_ready);
		int asked = asyncio_shell_request_dump(index);

		if (asked == 0) {
			break;
		}
		if (asked < 0 || k_sem_take(&dump_ready, K_SECONDS(1)) != 0) {
			shell_error(sh, "asyncio: no answer from loop %u within 1 s: it is not running, "
					"or a task is holding it (see the slow-task warnings)",
				    (unsigned int)index);
			return -EBUSY;
		}
		shell_print(sh, "loop %u:\n%.*s", (unsigned int)index, (int)dump_len, dump);
	}
	if (index == 0) {
		shell_print(sh, "asyncio: no loop yet");
	}
	return 0;
}

SHELL_STATIC_SUBCMD_SET_CREATE(asyncio_commands,
	SHELL_CMD(tasks, NULL, "The loop's tasks (state, age, polls) and counters.", cmd_tasks),
	SHELL_SUBCMD_SET_END);
SHELL_CMD_REGISTER(asyncio, &asyncio_commands, "asyncio event loop", NULL);
