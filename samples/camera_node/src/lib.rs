//! The tutorial's capstone grown up: a camera node on MQTT, all on one loop.
//!
//! - `capture`: awaits each frame (the driver's signal wakes the loop) and hands the newest to
//!   the publisher without copying;
//! - `publisher`: publishes each frame's metadata (`<id>/meta`, QoS 0: `frame <n> sequence
//!   <driver's sequence> at <driver's timestamp> ms`) and every Nth frame itself (`<id>/frame`, QoS 1, the raw RGB565 bytes);
//! - `mqtt_commands` and `console`: the same commands from the `<id>/cmd` topic and from the
//!   serial console: `status`, `stop`, `start`, `every <n>`; the answer goes back where the
//!   command came from (`<id>/status`, or the console);
//! - `heartbeat`: every second, `<id>/heartbeat` (`<seconds> s, <frames> frames`) and the same
//!   line on the console.
//!
//! The broker's address, port and the node's id are this sample's Kconfig options
//! (`CONFIG_CAMERA_NODE_BROKER`, `..._BROKER_PORT`, `CONFIG_CAMERA_NODE_ID`). The client
//! reconnects by itself; while the broker is away, metadata that does not fit the outbox is
//! counted as not published, and the capture never waits for the network.

#![no_std]

extern crate alloc;

use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::Cell;

use asyncio::camera::{Camera, CameraError, Format, Frame, Freshness, PixelFormat};
use asyncio::mqtt::{Client, Config, QoS};
use asyncio::net::Tcp;
use asyncio::serial::{console_lines, LineReader};
use asyncio::{create_task, sleep_ms, Error, Event, Queue, Result};
use zephyr::kconfig::{
    CONFIG_CAMERA_NODE_BROKER, CONFIG_CAMERA_NODE_BROKER_PORT, CONFIG_CAMERA_NODE_ID,
};
use zephyr::printkln;

/// What the tasks share.
struct Node {
    camera: Camera,
    mqtt: Client,
    /// The newest frame, on its way to the publisher.
    frames: Queue<Frame>,
    /// Set while capturing: `stop` clears it, `start` sets it again.
    capturing: Event,
    captured: Cell<u32>,
    /// Every how many frames one is published whole.
    every: Cell<u32>,
    /// Frames and metadata that did not go out (the publisher busy, the outbox full).
    not_published: Cell<u32>,
}

impl Node {
    fn topic(&self, leaf: &str) -> String {
        format!("{CONFIG_CAMERA_NODE_ID}/{leaf}")
    }

    fn count_not_published(&self) {
        self.not_published.set(self.not_published.get() + 1);
    }
}

async fn capture(node: Rc<Node>) -> core::result::Result<(), CameraError> {
    loop {
        node.capturing.wait().await?;
        let frame = match node.camera.snapshot().await {
            Ok(frame) => frame,
            Err(CameraError::Stopped | CameraError::FrameFailed { .. }) => continue,
            Err(e) => return Err(e),
        };
        node.captured.set(node.captured.get() + 1);
        // The newest frame wins: an older one the publisher has not taken is dropped.
        if node.frames.get_nowait().is_some() {
            node.count_not_published();
        }
        let _ = node.frames.put_nowait(frame);
    }
}

async fn publisher(node: Rc<Node>) -> Result<()> {
    let (meta, whole) = (node.topic("meta"), node.topic("frame"));
    loop {
        let frame = node.frames.get().await?;
        let n = node.captured.get();
        let line = format!(
            "frame {n} sequence {} at {} ms",
            frame.sequence(),
            frame.timestamp_ms()
        );
        if n % node.every.get() == 0 {
            // Copied into the outbox; the buffer goes back to the camera after the PUBACK (the
            // capture goes on meanwhile in the other two).
            let sent = node
                .mqtt
                .publish(&whole, frame.data(), QoS::AtLeastOnce)
                .await;
            not_published_if_full(&node, sent)?;
        }
        drop(frame);
        let sent = node
            .mqtt
            .publish(&meta, line.as_bytes(), QoS::AtMostOnce)
            .await;
        not_published_if_full(&node, sent)?;
    }
}

/// A publication the outbox had no room for (the broker away) is counted, not an error.
fn not_published_if_full(node: &Node, sent: Result<()>) -> Result<()> {
    match sent {
        Err(Error::QueueFull) => {
            node.count_not_published();
            Ok(())
        }
        other => other,
    }
}

/// Runs one command, from either source; the answer.
fn execute(node: &Node, command: &str) -> String {
    let words: alloc::vec::Vec<&str> = command.split_whitespace().collect();
    match *words.as_slice() {
        ["status"] => format!(
            "status: {} frames, {} not published, every {}, {}, {} connects",
            node.captured.get(),
            node.not_published.get(),
            node.every.get(),
            if !node.capturing.is_set() {
                "paused"
            } else {
                "capturing"
            },
            node.mqtt.counts().connects,
        ),
        ["stop"] => {
            node.capturing.clear();
            match node.camera.stop() {
                Ok(()) => "camera stopped".into(),
                Err(e) => format!("stop: {e}"),
            }
        }
        ["start"] => {
            node.capturing.set();
            "camera started".into()
        }
        ["every", n] => match n.parse::<u32>() {
            Ok(n) if n > 0 => {
                node.every.set(n);
                format!("every {n} frames")
            }
            _ => format!("every: '{n}' is not a positive number"),
        },
        _ => format!("unknown command '{command}' (status, stop, start, every <n>)"),
    }
}

async fn mqtt_commands(node: Rc<Node>) -> Result<()> {
    node.mqtt
        .subscribe(&node.topic("cmd"), QoS::AtLeastOnce)
        .await?;
    let status = node.topic("status");
    loop {
        let message = node.mqtt.recv().await?;
        let answer = match core::str::from_utf8(&message.payload) {
            Ok(command) => execute(&node, command.trim()),
            Err(_) => String::from("error: a command is text"),
        };
        node.mqtt
            .publish(&status, answer.as_bytes(), QoS::AtLeastOnce)
            .await?;
    }
}

async fn console(node: Rc<Node>, lines: &'static LineReader) -> Result<()> {
    loop {
        match lines.read_line().await?.text() {
            Ok(command) if command.trim().is_empty() => {}
            Ok(command) => printkln!("{}", execute(&node, command.trim())),
            Err(bad) => printkln!("error: {bad}"),
        }
    }
}

async fn heartbeat(node: Rc<Node>) -> Result<()> {
    let topic = node.topic("heartbeat");
    for second in 1u32.. {
        sleep_ms(1000).await?;
        let line = format!("{second} s, {} frames", node.captured.get());
        printkln!("heartbeat: {line}");
        let sent = node
            .mqtt
            .publish(&topic, line.as_bytes(), QoS::AtMostOnce)
            .await;
        not_published_if_full(&node, sent)?;
    }
    Ok(())
}

async fn main() -> core::result::Result<(), CameraError> {
    let camera = Camera::new()?;
    camera.set_format(Format::new(PixelFormat::RGB565, 320, 160))?;
    let fps = camera.set_framerate(30)?;
    camera.set_framebuffers(3)?;
    camera.set_freshness(Freshness::NewestWins);
    let lines = console_lines()?;
    let broker = Tcp::new(
        CONFIG_CAMERA_NODE_BROKER,
        CONFIG_CAMERA_NODE_BROKER_PORT as u16,
    );
    let config = Config {
        keep_alive_s: 30,
        backoff_ms: 250,
        backoff_max_ms: 4000,
        ..Config::new(CONFIG_CAMERA_NODE_ID)
    };
    let node = Rc::new(Node {
        camera,
        mqtt: Client::new(broker, config),
        frames: Queue::new(1),
        capturing: Event::new(),
        captured: Cell::new(0),
        every: Cell::new(30),
        not_published: Cell::new(0),
    });
    node.capturing.set();
    printkln!(
        "camera_node: {} at {fps} fps, broker {CONFIG_CAMERA_NODE_BROKER}:{CONFIG_CAMERA_NODE_BROKER_PORT}",
        node.camera.format()
    );
    create_task(publisher(node.clone())).set_name("publisher");
    create_task(mqtt_commands(node.clone())).set_name("mqtt commands");
    create_task(console(node.clone(), lines)).set_name("console");
    create_task(heartbeat(node.clone())).set_name("heartbeat");
    printkln!("ready: commands status, stop, start, every <n>");
    let capture = create_task(capture(node));
    capture.set_name("capture");
    capture.await
}

asyncio::main!(main());
