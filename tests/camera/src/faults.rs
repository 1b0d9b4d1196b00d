//! Bad requests, missing devices, aborted frames, timeouts, stops: each a clear error that
//! leaves the camera usable; frames stay valid after a stop and after the camera is gone.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use asyncio::camera::{Camera, CameraError, Format, Freshness, PixelFormat};
use asyncio::{create_task, wait_for_ms, yield_now, Error};
use futures_util::StreamExt;
use zephyr_testkit::{check, check_eq, Suite};

use crate::common::{failed, generator, run_case, FORMAT};

extern "C" {
    fn test_uninitialised_camera() -> *const zephyr::raw::device;
    fn test_abort_queued_frames() -> i32;
}

fn bad_requests_are_errors_and_change_nothing() -> Result<(), String> {
    run_case(async {
        let camera = generator(3, Freshness::NewestWins)?;
        let jpeg = Format::new(PixelFormat::JPEG, 320, 160);
        let Err(e) = camera.set_format(jpeg) else {
            return Err("JPEG accepted".into());
        };
        check!(matches!(&e, CameraError::Unsupported { requested, .. } if *requested == jpeg));
        let message = e.to_string();
        check!(message.contains("RGBP 64..1920x64..1080"), "{message}");
        check!(
            message.starts_with("JPEG 320x160 is not supported"),
            "{message}"
        );
        let tiny = Format::new(PixelFormat::RGB565, 32, 32);
        check!(matches!(
            camera.set_format(tiny),
            Err(CameraError::Unsupported { .. })
        ));
        check_eq!(camera.format(), FORMAT);

        check_eq!(
            camera.set_framebuffers(0),
            Err(CameraError::BufferCount {
                requested: 0,
                minimum: 1
            })
        );
        // More buffers than the pool has slots: refused at start, camera still stopped.
        camera.set_framebuffers(5).map_err(failed)?;
        check_eq!(
            camera.start(),
            Err(CameraError::OutOfBufferMemory {
                count: 5,
                size: camera.frame_size()
            })
        );
        check!(!camera.is_streaming());
        camera.set_framebuffers(3).map_err(failed)?;
        camera.start().map_err(failed)?;
        check_eq!(camera.framebuffers(), 3);
        check_eq!(camera.set_format(FORMAT), Err(CameraError::Busy));
        check_eq!(camera.set_framebuffers(2), Err(CameraError::Busy));
        camera.snapshot().await.map_err(failed)?;
        Ok(())
    })
}

fn a_device_that_is_not_ready_is_an_error() -> Result<(), String> {
    // SAFETY: a video device from the devicetree, and null.
    let uninitialised = unsafe { Camera::from_raw(test_uninitialised_camera()) };
    check!(
        matches!(uninitialised, Err(CameraError::NotReady)),
        "{:?}",
        uninitialised.err()
    );
    // SAFETY: null is allowed.
    let missing = unsafe { Camera::from_raw(core::ptr::null()) };
    check!(matches!(missing, Err(CameraError::NoDevice)));
    Ok(())
}

fn an_aborted_frame_is_an_error_and_capture_goes_on() -> Result<(), String> {
    run_case(async {
        let camera = generator(3, Freshness::Fifo)?;
        drop(camera.snapshot().await.map_err(failed)?);
        // SAFETY: a plain C call on the streaming camera.
        check_eq!(unsafe { test_abort_queued_frames() }, 0);
        let mut aborted = 0;
        let frame = loop {
            match camera.snapshot().await {
                Err(CameraError::FrameFailed { aborted: true }) => aborted += 1,
                other => break other.map_err(failed)?,
            }
        };
        check!(aborted >= 1, "no aborted frame reported");
        check_eq!(camera.stats().failed, aborted);
        check_eq!(frame.data().len(), camera.frame_size());
        Ok(())
    })
}

fn a_snapshot_times_out_under_wait_for() -> Result<(), String> {
    run_case(async {
        let camera = generator(3, Freshness::NewestWins)?;
        camera.set_framerate(1).map_err(failed)?;
        drop(camera.snapshot().await.map_err(failed)?);
        let late = wait_for_ms(camera.snapshot(), 100).await;
        check!(
            matches!(late, Err(CameraError::Asyncio(Error::Timeout))),
            "{late:?}"
        );
        // Nothing was lost or left waiting: the next frame comes.
        check!(camera.snapshot().await.is_ok());
        Ok(())
    })
}

fn stopping_ends_a_waiting_snapshot() -> Result<(), String> {
    run_case(async {
        let camera = generator(3, Freshness::NewestWins)?;
        camera.set_framerate(1).map_err(failed)?;
        drop(camera.snapshot().await.map_err(failed)?);
        let waiter = create_task(camera.snapshot());
        yield_now().await.map_err(|_| "cancelled")?;
        camera.stop().map_err(failed)?;
        check!(matches!(waiter.await, Err(CameraError::Stopped)));
        // And it starts again.
        check!(camera.snapshot().await.is_ok());
        Ok(())
    })
}

fn frames_outlive_stop_and_the_camera() -> Result<(), String> {
    run_case(async {
        let camera = generator(3, Freshness::NewestWins)?;
        let frame = camera.snapshot().await.map_err(failed)?;
        camera.stop().map_err(failed)?;
        check_eq!(frame.data().len(), camera.frame_size());
        drop(frame);
        let held = camera.snapshot().await.map_err(failed)?; // restarts
        drop(camera);
        check_eq!(held.data().len(), 320 * 160 * 2);
        drop(held);
        // Every buffer went back to the pool: a new camera gets all four slots.
        let camera = generator(4, Freshness::Fifo)?;
        camera.start().map_err(failed)?;
        check_eq!(camera.framebuffers(), 4);
        Ok(())
    })
}

fn the_frames_stream_yields_consecutive_frames() -> Result<(), String> {
    run_case(async {
        let camera = generator(3, Freshness::Fifo)?;
        let mut frames = camera.frames();
        let mut sequences = Vec::new();
        while let Some(frame) = frames.next().await {
            sequences.push(frame.map_err(failed)?.sequence());
            if sequences.len() == 5 {
                break;
            }
        }
        check!(
            sequences.windows(2).all(|w| w[1] == w[0] + 1),
            "{sequences:?}"
        );
        drop(camera);
        check!(
            frames.next().await.is_none(),
            "the stream goes on without its camera"
        );
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "bad_requests_are_errors_and_change_nothing",
        bad_requests_are_errors_and_change_nothing,
    );
    suite.case(
        "a_device_that_is_not_ready_is_an_error",
        a_device_that_is_not_ready_is_an_error,
    );
    suite.case(
        "an_aborted_frame_is_an_error_and_capture_goes_on",
        an_aborted_frame_is_an_error_and_capture_goes_on,
    );
    suite.case(
        "a_snapshot_times_out_under_wait_for",
        a_snapshot_times_out_under_wait_for,
    );
    suite.case(
        "stopping_ends_a_waiting_snapshot",
        stopping_ends_a_waiting_snapshot,
    );
    suite.case(
        "frames_outlive_stop_and_the_camera",
        frames_outlive_stop_and_the_camera,
    );
    suite.case(
        "the_frames_stream_yields_consecutive_frames",
        the_frames_stream_yields_consecutive_frames,
    );
}
