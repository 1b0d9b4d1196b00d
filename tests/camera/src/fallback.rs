//! A driver without `video_set_signal` (the emulated imager behind the emulated receiver)
//! delivers through the helper thread.

use alloc::string::String;

use asyncio::camera::{Camera, Freshness, WakeSource};
use asyncio::sleep_ms;
use zephyr_testkit::{check, check_eq, Suite};

use crate::common::{failed, run_case};

extern "C" {
    fn test_emulated_imager() -> *const zephyr::raw::device;
}

fn the_emulated_imager_delivers_through_the_helper_thread() -> Result<(), String> {
    run_case(async {
        // SAFETY: a video device from the devicetree.
        let camera = unsafe { Camera::from_raw(test_emulated_imager()) }.map_err(failed)?;
        check_eq!(camera.wake_source(), WakeSource::HelperThread);
        // The receiver fills a buffer as soon as it gets one: FIFO, so it waits for ours.
        camera.set_freshness(Freshness::Fifo);
        camera.set_framebuffers(2).map_err(failed)?;
        let mut last = 0;
        for _ in 0..5 {
            let frame = camera.snapshot().await.map_err(failed)?;
            check_eq!(frame.data().len(), camera.frame_size());
            check_eq!((frame.width(), frame.height()), (320, 240));
            check!(frame.sequence() > last);
            last = frame.sequence();
            drop(frame);
            sleep_ms(10).await.map_err(|_| "cancelled")?;
        }
        camera.stop().map_err(failed)?;
        check_eq!(camera.stats().frames, 5);
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "the_emulated_imager_delivers_through_the_helper_thread",
        the_emulated_imager_delivers_through_the_helper_thread,
    );
}
