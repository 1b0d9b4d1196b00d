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

/* Pins and PWM channels of the devicetree by node (c/devicetree.c). */
#include "../../c/devicetree.h"

#ifdef CONFIG_ASYNCIO_UART
/* asyncio::uart: the interrupt-driven UART API. */
#include <zephyr/drivers/uart.h>
#endif

#ifdef CONFIG_ASYNCIO_INPUT
/* asyncio::input: input_report, for tests and software sources. */
#include <zephyr/input/input.h>
#endif

#ifdef CONFIG_ASYNCIO_SENSOR
/* asyncio::sensor: fetch and channels, and the emulators' backend API for EmulatedSensor. */
#include <zephyr/drivers/sensor.h>
#ifdef CONFIG_EMUL
#include <zephyr/drivers/emul.h>
#include <zephyr/drivers/emul_sensor.h>
#endif
#endif

#ifdef CONFIG_GPIO_EMUL
/* Driving emulated pins (asyncio::gpio::EmulatedInput), for tests and native_sim samples. */
#include <zephyr/drivers/gpio/gpio_emul.h>
#endif

#if defined(CONFIG_ASYNCIO_NET)
/* The streams adapter (asyncio::net): the module's socket glue, c/sockets.c. */
#include "../../c/sockets.h"
#endif
