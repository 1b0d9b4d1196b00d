//! Frames arrive as the driver finishes them, none lost, the freshest first if asked; the loop
//! sleeps in between and other tasks keep their timing.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use asyncio::camera::{Freshness, WakeSource};
use asyncio::{create_task, sleep_ms, Error};
use zephyr::printkln;
use zephyr_testkit::{check, check_eq, Suite};

use crate::common::{failed, generator, now_ms, run_case, stats};

/// (sequence, timestamp) of each frame taken until `ms` have passed.
async fn capture_for(camera: &asyncio::camera::Camera, ms: u32) -> Result<Vec<(u32, u32)>, String> {
    let start = now_ms();
    let mut frames = Vec::new();
    while now_ms() - start < ms {
        let frame = camera.snapshot().await.map_err(failed)?;
        check_eq!(frame.data().len(), camera.frame_size());
        frames.push((frame.sequence(), frame.timestamp_ms()));
    }
    Ok(frames)
}

fn consecutive(frames: &[(u32, u32)]) -> bool {
    frames.windows(2).all(|w| w[1].0 == w[0].0 + 1)
}

fn every_frame_is_delivered_at_the_configured_rate() -> Result<(), String> {
    run_case(async {
        let camera = generator(3, Freshness::NewestWins)?;
        check_eq!(camera.wake_source(), WakeSource::Signal);
        let frames = capture_for(&camera, 10_000).await?;
        check!(consecutive(&frames), "a frame is missing: {frames:?}");
        check_eq!(camera.stats().dropped, 0);
        // The generator's period, from its timestamps: the same between every two frames.
        let period = frames[1].1 - frames[0].1;
        check!(
            frames.windows(2).all(|w| w[1].1 - w[0].1 == period),
            "irregular frames: {frames:?}"
        );
        let expected = 10_000 / period as usize;
        check!(
            frames.len().abs_diff(expected) <= 1,
            "{} frames, expected {expected}",
            frames.len()
        );
        printkln!(
            "{} frames in 10 s, one every {period} ms, none dropped",
            frames.len()
        );
        Ok(())
    })
}

fn a_slow_consumer_gets_the_newest_frame_and_the_rest_count_as_dropped() -> Result<(), String> {
    run_case(async {
        let camera = generator(3, Freshness::NewestWins)?;
        // The generator's period, from two consecutive frames.
        let reference = capture_for(&camera, 100).await?;
        check!(consecutive(&reference));
        let period = reference[1].1 - reference[0].1;
        let mut frames = Vec::new();
        let mut ages = Vec::new();
        let mut stats = camera.stats();
        for _ in 0..20 {
            sleep_ms(100).await.map_err(|_| "cancelled")?; // slower than a frame period
            let frame = camera.snapshot().await.map_err(failed)?;
            stats = camera.stats();
            frames.push((frame.sequence(), frame.timestamp_ms()));
            ages.push(now_ms() - frame.timestamp_ms());
        }
        let (delivered, dropped) = (stats.frames, stats.dropped);
        let (first, last) = (frames[0], frames[frames.len() - 1]);
        // Every frame the driver finished was either delivered or counted as dropped...
        check_eq!(delivered + dropped, last.0);
        check!(dropped > 0, "a slow consumer dropped nothing");
        // ...and the driver always had a buffer to fill: no hole in its timestamps.
        check_eq!(last.1 - first.1, (last.0 - first.0) * period);
        // Each delivered frame was the newest: at most one frame period old.
        check!(ages.iter().all(|&age| age <= period), "ages: {ages:?}");
        printkln!("20 frames delivered, {dropped} dropped as stale");
        Ok(())
    })
}

fn fifo_delivers_every_frame_in_order() -> Result<(), String> {
    run_case(async {
        let camera = generator(3, Freshness::Fifo)?;
        let mut frames = Vec::new();
        for n in 0..20 {
            let frame = camera.snapshot().await.map_err(failed)?;
            frames.push((frame.sequence(), frame.timestamp_ms()));
            drop(frame);
            if n == 5 {
                // A backlog builds up (two buffers' worth); FIFO keeps it, oldest first.
                sleep_ms(50).await.map_err(|_| "cancelled")?;
            }
        }
        check!(consecutive(&frames), "out of order or missing: {frames:?}");
        check_eq!(camera.stats().dropped, 0);
        Ok(())
    })
}

async fn heartbeat(beats: Rc<RefCell<Vec<u32>>>) -> Result<(), Error> {
    loop {
        beats.borrow_mut().push(now_ms());
        sleep_ms(10).await?;
    }
}

fn the_heartbeat_keeps_its_period_while_capturing() -> Result<(), String> {
    run_case(async {
        let camera = generator(3, Freshness::NewestWins)?;
        let beats = Rc::new(RefCell::new(Vec::new()));
        let heartbeat = create_task(heartbeat(beats.clone()));
        let frames = capture_for(&camera, 2_000).await?;
        heartbeat.cancel();
        check_eq!(heartbeat.await, Err(Error::Cancelled));
        let beats = beats.borrow();
        let longest = beats.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
        check!(longest <= 11, "a {longest} ms gap between heartbeats");
        printkln!(
            "{} frames, {} heartbeats, longest gap {longest} ms",
            frames.len(),
            beats.len()
        );
        Ok(())
    })
}

fn the_loop_sleeps_between_frames() -> Result<(), String> {
    run_case(async {
        let camera = generator(3, Freshness::NewestWins)?;
        camera.snapshot().await.map_err(failed)?; // started
        let before = stats();
        let frames = capture_for(&camera, 3_000).await?.len() as u64;
        let after = stats();
        let parks = after.parks - before.parks;
        let timers = after.timers_fired - before.timers_fired;
        // One wake-up per frame (the driver's signal), nothing in between.
        check!(
            parks >= frames,
            "{parks} parks for {frames} frames: the loop never slept"
        );
        check!(
            parks <= frames + timers + 2,
            "{parks} parks for {frames} frames and {timers} timers"
        );
        printkln!(
            "{frames} frames: {parks} wake-ups, {} scheduling rounds",
            after.rounds - before.rounds
        );
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "every_frame_is_delivered_at_the_configured_rate",
        every_frame_is_delivered_at_the_configured_rate,
    );
    suite.case(
        "a_slow_consumer_gets_the_newest_frame_and_the_rest_count_as_dropped",
        a_slow_consumer_gets_the_newest_frame_and_the_rest_count_as_dropped,
    );
    suite.case(
        "fifo_delivers_every_frame_in_order",
        fifo_delivers_every_frame_in_order,
    );
    suite.case(
        "the_heartbeat_keeps_its_period_while_capturing",
        the_heartbeat_keeps_its_period_while_capturing,
    );
    suite.case(
        "the_loop_sleeps_between_frames",
        the_loop_sleeps_between_frames,
    );
}
