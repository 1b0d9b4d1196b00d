/*
 * The devicetree's pin and PWM specs by node, for rust/zephyr-asyncio/src/devicetree.rs: every
 * enabled node with a `gpios` property (the children of gpio-keys and gpio-leds, and any
 * other) and every one with `pwms` (pwm-leds children...), keyed by the node's dependency
 * ordinal, which zephyr-lang-rust's `devicetree::labels::<label>::ORD` gives the Rust side.
 * Built with Zephyr's own devicetree macros, so the tables are exactly the application's
 * devicetree, and only a controller that is enabled contributes.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <errno.h>
#include <zephyr/devicetree.h>

#include "devicetree.h"

#ifdef CONFIG_ASYNCIO_GPIO
#define ASYNCIO_PIN_CTLR(node, idx) DT_GPIO_CTLR_BY_IDX(node, gpios, idx)
#define ASYNCIO_PIN_ENTRY(node, prop, idx)                                                         \
	IF_ENABLED(DT_NODE_HAS_STATUS_OKAY(ASYNCIO_PIN_CTLR(node, idx)),                           \
		   ({DT_DEP_ORD(node), idx,                                                        \
		     DT_NODE_HAS_COMPAT(ASYNCIO_PIN_CTLR(node, idx), zephyr_gpio_emul),            \
		     GPIO_DT_SPEC_GET_BY_IDX(node, gpios, idx)},))
#define ASYNCIO_PINS_OF(node)                                                                      \
	IF_ENABLED(DT_NODE_HAS_PROP(node, gpios),                                                  \
		   (DT_FOREACH_PROP_ELEM(node, gpios, ASYNCIO_PIN_ENTRY)))

static const struct asyncio_dt_pin pins[] = {
	DT_FOREACH_STATUS_OKAY_NODE(ASYNCIO_PINS_OF)
	{UINT32_MAX},
};

int asyncio_dt_find_pin(uint32_t ord, uint8_t idx, struct asyncio_dt_pin *out)
{
	for (size_t i = 0; pins[i].ord != UINT32_MAX; i++) {
		if (pins[i].ord == ord && pins[i].idx == idx) {
			*out = pins[i];
			return 0;
		}
	}
	return -ENOENT;
}
#endif /* CONFIG_ASYNCIO_GPIO */

#ifdef CONFIG_ASYNCIO_PWM

#define ASYNCIO_PWM_OF(node)                                                                       \
	IF_ENABLED(DT_NODE_HAS_PROP(node, pwms),                                                   \
		   (IF_ENABLED(DT_NODE_HAS_STATUS_OKAY(DT_PWMS_CTLR(node)),                        \
			       ({DT_DEP_ORD(node), PWM_DT_SPEC_GET(node)},))))

static const struct asyncio_dt_pwm pwms[] = {
	DT_FOREACH_STATUS_OKAY_NODE(ASYNCIO_PWM_OF)
	{UINT32_MAX},
};

int asyncio_dt_find_pwm(uint32_t ord, struct asyncio_dt_pwm *out)
{
	for (size_t i = 0; pwms[i].ord != UINT32_MAX; i++) {
		if (pwms[i].ord == ord) {
			*out = pwms[i];
			return 0;
		}
	}
	return -ENOENT;
}
#endif /* CONFIG_ASYNCIO_PWM */
