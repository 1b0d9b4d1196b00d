/*
 * Runs a shell command on the dummy backend and captures what it printed: how the diagnostics
 * case checks `asyncio tasks` without a UART.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <string.h>
#include <zephyr/shell/shell.h>
#include <zephyr/shell/shell_dummy.h>
#include <zephyr/sys/util.h>

int shell_probe_run(const char *command, char *out, size_t out_len)
{
	const struct shell *sh = shell_backend_dummy_get_ptr();
	const char *text;
	size_t size;
	int err;

	shell_backend_dummy_clear_output(sh);
	err = shell_execute_cmd(sh, command);
	text = shell_backend_dummy_get_output(sh, &size);
	size = MIN(size, out_len - 1);
	memcpy(out, text, size);
	out[size] = '\0';
	return err;
}
