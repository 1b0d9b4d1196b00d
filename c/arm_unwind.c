/*
 * Rust's prebuilt `core` for Arm (thumbv7m-none-eabi...) carries exception tables that name
 * the EHABI personality routines. Rust code here never unwinds (panics abort), so they are
 * never called; but without a definition the linker takes libgcc's pr-support.o, which has no
 * .note.GNU-stack section, and Zephyr links with --fatal-warnings: the build fails with
 * "pr-support.o: missing .note.GNU-stack section implies executable stack". These stand-ins
 * keep that object out.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>

void __aeabi_unwind_cpp_pr0(void)
{
	k_panic();
}

void __aeabi_unwind_cpp_pr1(void)
{
	k_panic();
}

void __aeabi_unwind_cpp_pr2(void)
{
	k_panic();
}
