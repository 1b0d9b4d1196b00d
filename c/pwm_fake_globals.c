/*
 * Zephyr's fake PWM controller (pwm_fake, native_sim's stand-in for a PWM LED) records its
 * calls with FFF, whose globals a ztest suite defines. Applications and non-ztest test apps
 * that use the fake controller get them here (CONFIG_ASYNCIO_PWM_FAKE_GLOBALS).
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/fff.h>

DEFINE_FFF_GLOBALS;
