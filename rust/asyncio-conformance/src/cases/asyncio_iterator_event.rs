//! `asyncio_iterator_event.py`: async iteration (`async for`) over an iterator fed by events
//! stays pending with an empty run queue until the outside ends it (MicroPython issue #16318).
//!
//! Rust differences: `async for` is a `futures` `Stream` consumed with `next().await`. The
//! outside cannot set an `Event` (not `Sync`), so the iterator waits on a `ThreadSafeFlag`;
//! the watchdog's line is printed once the iteration ended, after checking that the outside
//! really fired it.

use super::prelude::*;
use core::pin::Pin;
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll};
use futures_util::StreamExt;

pub const EXPECTED: &str =
    "bar 0\nbar 1\nbar 2\ngood: asyncio iterator is still pending, exiting\nend main\n";

static FLAG: ThreadSafeFlag = ThreadSafeFlag::new();
static ENDED: AtomicBool = AtomicBool::new(false);

/// The watchdog, run from outside: `ai.fetch_data(None)`.
fn end_iteration() {
    ENDED.store(true, Ordering::SeqCst);
    FLAG.set();
}

/// A wait for the flag, kept across polls of the stream.
type PendingWait = Pin<Box<FlagWait<'static>>>;

/// The Python `AsyncIterable`: `fetch_data(msg)` hands over a message; the outside ends it.
struct AsyncIterable {
    message: RefCell<Option<String>>,
    wait: RefCell<Option<PendingWait>>,
}

impl AsyncIterable {
    fn fetch_data(&self, message: String) {
        *self.message.borrow_mut() = Some(message);
        FLAG.set();
    }
}

impl futures_util::Stream for &AsyncIterable {
    type Item = String;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<String>> {
        let this: &AsyncIterable = *self;
        let mut wait = this.wait.borrow_mut();
        let pending = wait.get_or_insert_with(|| Box::pin(FLAG.wait()));
        match pending.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(_) => {
                *wait = None;
                if ENDED.load(Ordering::SeqCst) {
                    Poll::Ready(None)
                } else {
                    Poll::Ready(this.message.borrow_mut().take())
                }
            }
        }
    }
}

pub fn run(out: &Out, hooks: &'static dyn Hooks) {
    let out = out.clone();
    ENDED.store(false, Ordering::SeqCst);
    FLAG.clear();
    asyncio_core::run(async move {
        let ai: &'static AsyncIterable = Box::leak(Box::new(AsyncIterable {
            message: RefCell::new(None),
            wait: RefCell::new(None),
        }));
        let _test = create_task(async move {
            for x in 0..3 {
                sleep_ms(100).await?;
                ai.fetch_data(format!("bar {x}"));
            }
            Ok::<_, Error>(())
        });
        hooks.later(500, end_iteration);
        let mut messages = ai;
        while let Some(message) = messages.next().await {
            say!(out, "{message}");
        }
        if ENDED.load(Ordering::SeqCst) {
            say!(out, "good: asyncio iterator is still pending, exiting");
        }
        say!(out, "end main");
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
