/*
 * The TLS handshake's random numbers (asyncio::tls, rust/zephyr-asyncio/src/tls.rs).
 * sys_csrand_get is a syscall wrapper (an inline function), which Rust cannot call directly.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/random/random.h>

int asyncio_csrand(void *dst, size_t len)
{
	return sys_csrand_get(dst, len);
}
