//! Custom async objects, the three patterns MicroPython users write by hand:
//!
//! 1. **Your own awaitable** (`__await__`/`__iter__` in Python): `Conversion` implements
//!    `Future`; an interrupt finishes it (here a `k_timer` callback standing in for an ADC's
//!    "conversion complete" IRQ). The handshake: the ISR stores the value, sets a flag, then
//!    wakes; `poll` registers its waker, then checks the flag.
//! 2. **Async iteration** (`async for`): a `futures` `Stream` of readings, consumed with
//!    `while let Some(x) = stream.next().await`.
//! 3. **Async context manager** (`async with`): `open().await` returns a guard; `close().await`
//!    does the asynchronous cleanup; `Drop` is the synchronous fallback when `close` is skipped
//!    (Rust has no async `Drop`).

#![no_std]

use core::cell::Cell;
use core::future::Future;
use core::pin::Pin;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use core::task::{Context, Poll};

use asyncio::{sleep_ms, ticks_ms, Result};
use futures_util::task::AtomicWaker;
use futures_util::{stream, StreamExt};
use zephyr::printkln;
use zephyr::time::Duration;
use zephyr::timer::{Callback, StoppedTimer};

/// An ADC whose conversions complete in an interrupt handler.
struct Adc {
    done: AtomicBool,
    value: AtomicU32,
    waker: AtomicWaker,
}

static ADC: Adc = Adc {
    done: AtomicBool::new(false),
    value: AtomicU32::new(0),
    waker: AtomicWaker::new(),
};

/// The "conversion complete" interrupt: runs in IRQ context.
fn conversion_complete(counter: &AtomicU32) {
    let sample = 1000 + 7 * counter.fetch_add(1, Ordering::Relaxed);
    ADC.value.store(sample, Ordering::Relaxed);
    ADC.done.store(true, Ordering::Release);
    ADC.waker.wake();
}

impl Adc {
    /// The next conversion's value.
    fn read(&'static self) -> Conversion {
        Conversion { adc: self }
    }
}

/// 1. A hand-written future.
struct Conversion {
    adc: &'static Adc,
}

impl Future for Conversion {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // Register first, then look: an interrupt in between wakes us, so none is lost.
        self.adc.waker.register(cx.waker());
        if self.adc.done.swap(false, Ordering::Acquire) {
            Poll::Ready(self.adc.value.load(Ordering::Relaxed))
        } else {
            Poll::Pending
        }
    }
}

/// 3. A resource used through an async guard.
struct Display {
    lines: Cell<u32>,
}

struct Session<'a> {
    display: &'a Display,
    closed: bool,
}

impl Display {
    async fn open(&self) -> Result<Session<'_>> {
        sleep_ms(5).await?; // power-up
        printkln!("{:>4} ms: display on", ticks_ms());
        Ok(Session {
            display: self,
            closed: false,
        })
    }
}

impl Session<'_> {
    fn show(&self, text: &str) {
        self.display.lines.set(self.display.lines.get() + 1);
        printkln!("{:>4} ms: display shows {text}", ticks_ms());
    }

    /// The asynchronous cleanup: flush, then power down.
    async fn close(mut self) -> Result<()> {
        sleep_ms(5).await?;
        self.closed = true;
        printkln!(
            "{:>4} ms: display flushed {} lines and off",
            ticks_ms(),
            self.display.lines.get()
        );
        Ok(())
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if !self.closed {
            printkln!("display forced off without flushing (close() was not awaited)");
        }
    }
}

async fn main() -> Result<()> {
    let _adc_irq = StoppedTimer::new().start_callback(
        Callback {
            call: conversion_complete,
            data: AtomicU32::new(0),
        },
        Duration::millis(20),
        Duration::millis(20),
    );

    // 1. await your own future
    let value = ADC.read().await;
    printkln!("{:>4} ms: one conversion: {value}", ticks_ms());

    // 2. async iteration
    let readings = stream::unfold((), |()| async { Some((ADC.read().await, ())) }).take(3);
    futures_util::pin_mut!(readings);
    while let Some(value) = readings.next().await {
        printkln!("{:>4} ms: streamed {value}", ticks_ms());
    }

    // 3. async context manager
    let display = Display {
        lines: Cell::new(0),
    };
    let session = display.open().await?;
    session.show("hello");
    session.show("world");
    session.close().await?;
    {
        let forgotten = display.open().await?;
        forgotten.show("oops");
    } // dropped without close(): the synchronous fallback runs
    Ok(())
}

asyncio::main!(main());
