/*
 * What bindgen generates Rust bindings for: the parts of Zephyr zephyr-sys does not cover.
 * Macros that are not plain numbers are re-exported as constants prefixed ZA_.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

/* Bind the user-facing syscall API, as zephyr-sys does. */
#undef KERNEL

#include <zephyr/autoconf.h>

#if defined(CONFIG_CPU_CORTEX_M) && !defined(CONFIG_FP_HARDABI) && !defined(FORCE_FP_HARDABI) && \
	!defined(__SOFTFP__)
#define __SOFTFP__
#endif

#include <zephyr/kernel.h>

const uint32_t ZA_POLL_TYPE_MSGQ_DATA_AVAILABLE = K_POLL_TYPE_MSGQ_DATA_AVAILABLE;

#ifdef CONFIG_VIDEO
/* The camera adapter (asyncio::camera). */
#include <zephyr/drivers/video.h>

const uint32_t ZA_VIDEO_BUFFER_POOL_ALIGN = CONFIG_VIDEO_BUFFER_POOL_ALIGN;
#endif

#if defined(CONFIG_ASYNCIO_NET)
/* The streams adapter (asyncio::net): the module's socket glue, c/sockets.c. */
#include "../../c/sockets.h"
#endif
