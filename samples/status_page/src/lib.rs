//! A live status page, served by the device: the loop's statistics, every task with what it
//! waits for, and the last camera frame as an image. The page reloads itself every two
//! seconds; `/frame.bmp` is the frame, `/tasks` the task dump as text (what Zephyr's
//! `asyncio tasks` shell command prints).
//!
//! Tasks: `capture` (keeps a copy of every 10th frame), `heartbeat` (every 100 ms), and the
//! HTTP server's (one per connection).

#![no_std]

extern crate alloc;

use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use core::fmt::Write as _;

use asyncio::camera::{Camera, CameraError, Format, PixelFormat};
use asyncio::http::server::picoserve::io::Write;
use asyncio::http::server::picoserve::response::Content;
use asyncio::http::server::picoserve::{routing::get, Router};
use asyncio::{create_task, get_event_loop, sleep_ms, Result};
use zephyr::printkln;

const PORT: u16 = 4480;
const WIDTH: u32 = 320;
const HEIGHT: u32 = 160;

/// What the page shows besides the loop's own state.
struct Status {
    /// The last kept frame, RGB565.
    frame: RefCell<Vec<u8>>,
    frames: Cell<u32>,
    beats: Cell<u32>,
}

async fn capture(camera: Camera, status: Rc<Status>) -> core::result::Result<(), CameraError> {
    loop {
        let frame = match camera.snapshot().await {
            Ok(frame) => frame,
            Err(CameraError::FrameFailed { .. }) => continue,
            Err(e) => return Err(e),
        };
        status.frames.set(status.frames.get() + 1);
        if status.frames.get() % 10 == 1 {
            let mut kept = status.frame.borrow_mut();
            kept.clear();
            kept.extend_from_slice(frame.data());
        }
    }
}

async fn heartbeat(status: Rc<Status>) -> Result<()> {
    loop {
        sleep_ms(100).await?;
        status.beats.set(status.beats.get() + 1);
    }
}

/// A body with its content type.
struct Typed(&'static str, Vec<u8>);

impl Content for Typed {
    fn content_type(&self) -> &'static str {
        self.0
    }

    fn content_length(&self) -> usize {
        self.1.len()
    }

    async fn write_content<W: Write>(self, mut writer: W) -> core::result::Result<(), W::Error> {
        writer.write_all(&self.1).await
    }
}

/// An RGB565 frame as a 24-bit BMP (bottom row first, rows padded to 4 bytes: 960 already are).
fn bmp(rgb565: &[u8]) -> Vec<u8> {
    let pixels = (WIDTH * HEIGHT * 3) as usize;
    let mut out = Vec::with_capacity(54 + pixels);
    let le = |out: &mut Vec<u8>, v: u32, n: usize| out.extend_from_slice(&v.to_le_bytes()[..n]);
    out.extend_from_slice(b"BM");
    le(&mut out, 54 + pixels as u32, 4);
    le(&mut out, 0, 4);
    le(&mut out, 54, 4);
    for (v, n) in [(40, 4), (WIDTH, 4), (HEIGHT, 4), (1, 2), (24, 2), (0, 4)] {
        le(&mut out, v, n);
    }
    le(&mut out, pixels as u32, 4);
    for v in [2835, 2835, 0, 0] {
        le(&mut out, v, 4);
    }
    let row = (WIDTH * 2) as usize;
    for y in (0..HEIGHT as usize).rev() {
        let line = rgb565.get(y * row..(y + 1) * row).unwrap_or(&[]);
        for x in 0..WIDTH as usize {
            let p = line
                .get(2 * x..2 * x + 2)
                .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
            let (r, g, b) = ((p >> 11) & 0x1f, (p >> 5) & 0x3f, p & 0x1f);
            out.extend_from_slice(&[(b << 3) as u8, (g << 2) as u8, (r << 3) as u8]);
        }
    }
    out
}

/// `s` with HTML's special characters escaped.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The page, rendered at each request from the loop's state.
fn page(status: &Status) -> String {
    let lp = get_event_loop();
    let stats = lp.stats();
    let mut html = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>asyncio status</title>\
         <meta http-equiv=\"refresh\" content=\"2\"><style>body{font-family:sans-serif}\
         td,th{padding:2px 8px;text-align:left}</style></head><body><h1>asyncio status</h1>",
    );
    let _ = write!(
        html,
        "<table id=\"stats\"><tr><th>tasks</th><td id=\"tasks_alive\">{}</td></tr>\
         <tr><th>polls</th><td id=\"polls\">{}</td></tr><tr><th>parks</th><td>{}</td></tr>\
         <tr><th>slow polls</th><td id=\"slow_polls\">{}</td></tr>\
         <tr><th>frames</th><td id=\"frames\">{}</td></tr>\
         <tr><th>heartbeats</th><td id=\"beats\">{}</td></tr></table>",
        stats.tasks_alive,
        stats.polls,
        stats.parks,
        stats.slow_polls,
        status.frames.get(),
        status.beats.get(),
    );
    html.push_str("<h2>Tasks</h2><table id=\"tasks\"><tr><th>name</th><th>waits for</th><th>polls</th><th>age ms</th></tr>");
    for task in lp.tasks() {
        let _ = write!(
            html,
            "<tr class=\"task\"><td class=\"name\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escaped(task.name()),
            escaped(&format!("{}", task.waiting())),
            task.polls(),
            task.age_ms(),
        );
    }
    html.push_str(
        "</table><h2>Camera</h2><img id=\"frame\" src=\"/frame.bmp\" width=\"320\" height=\"160\" \
         alt=\"the last frame\"></body></html>",
    );
    html
}

async fn main() -> core::result::Result<(), CameraError> {
    if let Some(me) = asyncio::current_task() {
        me.set_name("main");
    }
    let camera = Camera::new()?;
    camera.set_format(Format::new(PixelFormat::RGB565, WIDTH, HEIGHT))?;
    camera.set_framerate(30)?;
    camera.set_framebuffers(3)?;
    let status = Rc::new(Status {
        frame: RefCell::new(Vec::new()),
        frames: Cell::new(0),
        beats: Cell::new(0),
    });
    create_task(heartbeat(status.clone())).set_name("heartbeat");
    let (for_page, for_frame) = (status.clone(), status.clone());
    let app = Router::new()
        .route(
            "/",
            get(move || {
                let html = page(&for_page);
                async move { Typed("text/html; charset=utf-8", html.into_bytes()) }
            }),
        )
        .route(
            "/frame.bmp",
            get(move || {
                let image = bmp(&for_frame.frame.borrow());
                async move { Typed("image/bmp", image) }
            }),
        )
        .route(
            "/tasks",
            get(|| async { format!("{}", get_event_loop().dump()) }),
        );
    let server = asyncio::http::serve(Rc::new(app), "127.0.0.1", PORT).await?;
    printkln!("status page on http://127.0.0.1:{PORT}/");
    let capture = create_task(capture(camera, status));
    capture.set_name("capture");
    let captured = capture.await;
    drop(server);
    captured
}

asyncio::main!(main());
