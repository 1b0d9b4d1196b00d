/*
 * C glue of asyncio::camera (rust/zephyr-asyncio/src/camera/):
 *
 * - the devicetree's chosen camera (`zephyr,camera`), which Rust cannot name itself;
 * - the helper thread for drivers without video_set_signal() (STM32 DCMI, the emulated
 *   imager...): it blocks in video_dequeue() and hands each frame to a k_fifo the camera's
 *   task awaits in the loop's k_poll. It waits in slices of
 *   CONFIG_ASYNCIO_CAMERA_HELPER_SLICE_MS so that a stop is noticed. One helper: one such
 *   camera streams at a time.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>
#include <zephyr/device.h>
#include <zephyr/drivers/video.h>

/* The C library's ENOSYS (a driver lacking an operation), which differs between libcs. */
const int asyncio_camera_enosys = ENOSYS;

const struct device *asyncio_camera_chosen(void)
{
#if DT_HAS_CHOSEN(zephyr_camera)
	return DEVICE_DT_GET(DT_CHOSEN(zephyr_camera));
#else
	return NULL;
#endif
}

K_THREAD_STACK_DEFINE(asyncio_camera_helper_stack, CONFIG_ASYNCIO_CAMERA_HELPER_STACK_SIZE);
static struct k_thread helper;
static const struct device *helper_dev;
static struct k_queue *helper_out;
static atomic_t helper_running;

static void helper_main(void *p1, void *p2, void *p3)
{
	struct video_buffer *vbuf;

	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	while (atomic_get(&helper_running)) {
		if (video_dequeue(helper_dev, &vbuf,
				  K_MSEC(CONFIG_ASYNCIO_CAMERA_HELPER_SLICE_MS)) == 0) {
			k_queue_append(helper_out, vbuf);
		}
	}
}

/* Starts handing `dev`'s frames to `out`; -EBUSY if the helper already serves a camera. */
int asyncio_camera_helper_start(const struct device *dev, struct k_queue *out)
{
	if (!atomic_cas(&helper_running, 0, 1)) {
		return -EBUSY;
	}
	helper_dev = dev;
	helper_out = out;
	k_thread_create(&helper, asyncio_camera_helper_stack,
			K_THREAD_STACK_SIZEOF(asyncio_camera_helper_stack), helper_main, NULL, NULL,
			NULL, CONFIG_ASYNCIO_CAMERA_HELPER_PRIORITY, 0, K_NO_WAIT);
	k_thread_name_set(&helper, "asyncio_camera");
	return 0;
}

/* Stops the helper and waits for it to end (at most one slice). */
void asyncio_camera_helper_stop(void)
{
	if (atomic_cas(&helper_running, 1, 0)) {
		k_thread_join(&helper, K_FOREVER);
	}
}
