/*
 * The devices the camera cases use besides the chosen one, and a driver call to provoke an
 * aborted frame.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <zephyr/kernel.h>
#include <zephyr/device.h>
#include <zephyr/drivers/video.h>

const struct device *test_emulated_imager(void)
{
	return DEVICE_DT_GET(DT_NODELABEL(test_video_emul_rx));
}

const struct device *test_uninitialised_camera(void)
{
	return DEVICE_DT_GET(DT_NODELABEL(uninitialised_camera));
}

/* Cancels the chosen camera's queued buffers while it streams: they come back aborted. */
int test_abort_queued_frames(void)
{
	return video_flush(DEVICE_DT_GET(DT_CHOSEN(zephyr_camera)), true);
}
