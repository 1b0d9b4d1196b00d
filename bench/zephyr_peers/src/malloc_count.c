/*
 * Counts the bytes requested from malloc (linked with --wrap=malloc on boards other than
 * native_sim): what the memory figure of `scripts/bench qemu` divides by the tasks created.
 * Rust's allocator on Zephyr is malloc.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <stddef.h>

void *__real_malloc(size_t size);

size_t bench_malloc_bytes;

void *__wrap_malloc(size_t size)
{
	bench_malloc_bytes += size;
	return __real_malloc(size);
}
