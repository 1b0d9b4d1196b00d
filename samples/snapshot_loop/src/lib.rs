//! The capstone of the asyncio tutorial, on Zephyr: a camera capture loop beside other work.
//!
//! - `capture`: awaits each frame (the driver's signal wakes the loop; nothing polls), computes
//!   its mean brightness, and hands it to the uploader without copying;
//! - `uploader`: checksums each frame in slices, yielding between them so no task waits long
//!   for the CPU, and sends `frame <n> checksum <hex> brightness <b>` to a receiver at
//!   127.0.0.1:4400 over a TCP stream (reconnecting once a second while there is none) where
//!   the board has a network (`link.rs`);
//! - `heartbeat`: every 50 ms, and measures how late it runs (its jitter);
//! - `console`: commands on the serial console: `fps`, `drops`, `stop`, `start`;
//! - `report`: once a second, frames per second, drops and the heartbeat's jitter.

#![no_std]

extern crate alloc;

use alloc::rc::Rc;
use core::cell::Cell;

use alloc::format;

use asyncio::camera::{Camera, CameraError, Format, Frame, Freshness, PixelFormat};
use asyncio::serial::{console_lines, LineReader};
use asyncio::{create_task, run, sleep_ms, ticks_ms, yield_now, Error, Event, Queue, Result};
use zephyr::printkln;

mod link;
use link::Link;

const HEARTBEAT_MS: u64 = 50;

/// What the tasks share.
struct App {
    camera: Camera,
    /// Frames on their way to the uploader: one at most, the newest.
    uploads: Queue<Frame>,
    /// The console stopped the camera; `resume` ends the pause.
    paused: Cell<bool>,
    resume: Event,
    frames: Cell<u32>,
    not_uploaded: Cell<u32>,
    uploaded: Cell<u32>,
    brightness: Cell<u32>,
    jitter_ms: Cell<u64>,
}

/// Mean brightness (0-255) of an RGB565 frame, from every 16th pixel.
fn brightness(frame: &Frame) -> u32 {
    let (mut sum, mut count) = (0u32, 0u32);
    for pixel in frame.data().chunks_exact(2).step_by(16) {
        let p = u16::from_le_bytes([pixel[0], pixel[1]]);
        let (r, g, b) = ((p >> 11) & 0x1f, (p >> 5) & 0x3f, p & 0x1f);
        sum += (u32::from(r) * 255 / 31 + u32::from(g) * 255 / 63 + u32::from(b) * 255 / 31) / 3;
        count += 1;
    }
    sum / count.max(1)
}

async fn capture(app: Rc<App>) -> core::result::Result<(), CameraError> {
    loop {
        if app.paused.get() {
            app.resume.wait().await?;
            app.resume.clear();
            continue;
        }
        let frame = match app.camera.snapshot().await {
            Ok(frame) => frame,
            Err(CameraError::Stopped) => continue, // the console paused us
            Err(CameraError::FrameFailed { .. }) => continue, // counted in the camera's stats
            Err(e) => return Err(e),
        };
        app.frames.set(app.frames.get() + 1);
        app.brightness.set(brightness(&frame));
        // Hand the frame over as is; if the uploader is still busy, the older one is dropped.
        if let Some(older) = app.uploads.get_nowait() {
            drop(older);
            app.not_uploaded.set(app.not_uploaded.get() + 1);
        }
        let _ = app.uploads.put_nowait(frame);
    }
}

/// A checksum of the frame, computed in slices with a yield between them.
async fn checksum(frame: &Frame) -> Result<u32> {
    let mut checksum = 0u32;
    for slice in frame.data().chunks(8192) {
        checksum = slice
            .iter()
            .fold(checksum, |c, &b| c.rotate_left(5) ^ u32::from(b));
        yield_now().await?; // let the other tasks in between slices
    }
    Ok(checksum)
}

async fn uploader(app: Rc<App>) -> Result<()> {
    let mut link = Link::new();
    loop {
        let frame = app.uploads.get().await?;
        let sum = checksum(&frame).await?;
        let n = app.frames.get();
        drop(frame); // back to the camera before the network wait
        let line = format!(
            "frame {n} checksum {sum:08x} brightness {}\n",
            app.brightness.get()
        );
        let sent = link.send(&line).await?;
        let count = if sent {
            &app.uploaded
        } else {
            &app.not_uploaded
        };
        count.set(count.get() + 1);
    }
}

async fn heartbeat(app: Rc<App>) -> Result<()> {
    loop {
        let start = ticks_ms();
        sleep_ms(HEARTBEAT_MS as u32).await?;
        let late = (ticks_ms() - start).saturating_sub(HEARTBEAT_MS);
        app.jitter_ms.set(app.jitter_ms.get().max(late));
    }
}

async fn report(app: Rc<App>) -> Result<()> {
    for second in 1.. {
        let before = app.frames.get();
        sleep_ms(1000).await?;
        let stats = app.camera.stats();
        printkln!(
            "{second:>3} s: {} fps, {} dropped as stale, {} failed, {} uploaded ({} not), \
             brightness {}, heartbeat jitter {} ms",
            app.frames.get() - before,
            stats.dropped,
            stats.failed,
            app.uploaded.get(),
            app.not_uploaded.get(),
            app.brightness.get(),
            app.jitter_ms.get(),
        );
    }
    Ok(())
}

fn execute(app: &App, command: &str) {
    match command {
        "fps" => match app.camera.framerate() {
            Ok(fps) => printkln!(
                "fps: the camera runs at {fps}, {} frames so far",
                app.frames.get()
            ),
            Err(e) => printkln!("fps: {e}"),
        },
        "drops" => {
            let stats = app.camera.stats();
            printkln!(
                "drops: {} stale, {} failed, {} not uploaded",
                stats.dropped,
                stats.failed,
                app.not_uploaded.get()
            );
        }
        "stop" => {
            app.paused.set(true);
            match app.camera.stop() {
                Ok(()) => printkln!("camera stopped"),
                Err(e) => printkln!("stop: {e}"),
            }
        }
        "start" => {
            app.paused.set(false);
            app.resume.set();
            printkln!("camera started");
        }
        "" => {}
        other => printkln!("unknown command '{other}' (fps, drops, stop, start)"),
    }
}

async fn console(app: Rc<App>, lines: &'static LineReader) -> Result<()> {
    loop {
        match lines.read_line().await?.text() {
            Ok(command) => execute(&app, command.trim()),
            Err(bad) => printkln!("error: {bad}"),
        }
    }
}

async fn main() -> core::result::Result<(), CameraError> {
    let camera = Camera::new()?;
    camera.set_format(Format::new(PixelFormat::RGB565, 320, 160))?;
    let fps = camera.set_framerate(30)?;
    camera.set_framebuffers(3)?;
    camera.set_freshness(Freshness::NewestWins);
    printkln!(
        "snapshot_loop: {} at {fps} fps, {:?} wake-ups, 3 frame buffers",
        camera.format(),
        camera.wake_source()
    );
    let lines = console_lines()?;
    let app = Rc::new(App {
        camera,
        uploads: Queue::new(1),
        paused: Cell::new(false),
        resume: Event::new(),
        frames: Cell::new(0),
        not_uploaded: Cell::new(0),
        uploaded: Cell::new(0),
        brightness: Cell::new(0),
        jitter_ms: Cell::new(0),
    });
    create_task(heartbeat(app.clone())).set_name("heartbeat");
    create_task(uploader(app.clone())).set_name("uploader");
    create_task(report(app.clone())).set_name("report");
    create_task(console(app.clone(), lines)).set_name("console");
    printkln!("ready: commands fps, drops, stop, start");
    let capture = create_task(capture(app));
    capture.set_name("capture");
    capture.await
}

#[no_mangle]
extern "C" fn rust_main() {
    match run(main()) {
        Ok(Ok(())) => {}
        Ok(Err(e)) => printkln!("snapshot_loop: {e}"),
        Err(e) => printkln!("snapshot_loop: {}", Error::from(e)),
    }
}
