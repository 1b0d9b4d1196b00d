/*
 * The C functions the `zephyr` crate calls, for applications with their own C main()
 * (rust_cargo_application(C_MAIN)); otherwise zephyr-lang-rust's main.c provides them.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>

#if defined(CONFIG_LOG) && !defined(CONFIG_LOG_MODE_MINIMAL)
#include <zephyr/logging/log.h>

LOG_MODULE_REGISTER(rust, CONFIG_LOG_DEFAULT_LEVEL);

/* The `log` crate's messages, formatted in Rust, into Zephyr logging. */
void rust_log_message(uint32_t level, char *msg)
{
	switch (level) {
	case LOG_LEVEL_ERR:
		LOG_ERR("%s", msg);
		break;
	case LOG_LEVEL_WRN:
		LOG_WRN("%s", msg);
		break;
	case LOG_LEVEL_INF:
		LOG_INF("%s", msg);
		break;
	default:
		LOG_DBG("%s", msg);
		break;
	}
}
#endif

/* A Rust panic: a kernel panic. */
FUNC_NORETURN void rust_panic_wrap(void)
{
	k_panic();
	CODE_UNREACHABLE;
}
