//! `asyncio_heaplock.py`: scheduling tasks, `sleep_ms` and `StreamWriter.write` do not
//! allocate. MicroPython locks the heap; here the runner counts allocations and any in a
//! window is printed, failing the comparison. Differences in the `StreamWriter.write` half:
//! - the writer copies what the blocked stream does not take into its buffer (MicroPython
//!   keeps a reference to the bytes object), so the port makes room for it with `reserve`
//!   before the window, as the original creates the writer before it;
//! - the last line prints `b'56'` rather than `bytearray(b'56')`: Rust has one byte-slice
//!   type for both.

use super::prelude::*;
use crate::py_bytes;
use asyncio_core::io::{ErrorType, StreamWriter, Write, WriteNow};

pub const EXPECTED: &str = "start\n1 0\n2 0\nsleep\n1 1\n1 2\n2 1\n1 3\nfinish\n\
TestStream.write b'12'\nTestStream.write b'34'\nTestStream.write b'56'\n";

/// A stream that prints what it is given, and takes none of it when `blocked`.
struct TestStream {
    out: Out,
    blocked: bool,
}

impl WriteNow for TestStream {
    fn write_now(&mut self, data: &[u8]) -> usize {
        say!(self.out, "TestStream.write {}", py_bytes(data));
        if self.blocked {
            0
        } else {
            data.len()
        }
    }
}

impl ErrorType for TestStream {
    type Error = Error;
}

impl Write for TestStream {
    async fn write(&mut self, data: &[u8]) -> Result<usize> {
        Ok(self.write_now(data))
    }

    async fn flush(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Prints the allocations `window` made, if any.
fn no_allocation(out: &Out, hooks: &dyn Hooks, window: impl FnOnce()) {
    let before = hooks.allocations();
    window();
    let allocated = hooks.allocations().zip(before).map(|(a, b)| a - b);
    if allocated != Some(0) {
        say!(out, "allocated: {allocated:?}");
    }
}

async fn task(out: Out, id: u32, n: u32, ms: u32) -> Result<()> {
    for i in 0..n {
        say!(out, "{id} {i}");
        sleep_ms(ms).await?;
    }
    Ok(())
}

pub fn run(out: &Out, hooks: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let _t1 = create_task(task(out.clone(), 1, 4, 100));
        let _t2 = create_task(task(out.clone(), 2, 2, 250));
        // Test scheduling tasks, and calling sleep_ms.
        let before = hooks.allocations();
        say!(out, "start");
        sleep_ms(5).await?;
        say!(out, "sleep");
        sleep_ms(350).await?;
        say!(out, "finish");
        let allocated = hooks.allocations().zip(before).map(|(a, b)| a - b);
        if allocated != Some(0) {
            say!(out, "allocated: {allocated:?}");
        }

        // Test writing to a stream, when the underlying stream is blocked.
        let blocked = TestStream {
            out: out.clone(),
            blocked: true,
        };
        let mut s = StreamWriter::new_direct(blocked);
        s.reserve(2);
        no_allocation(&out, hooks, || s.write(b"12"));

        // Test writing to a stream, when the underlying stream is not blocked.
        let buf = *b"56";
        let open = TestStream {
            out: out.clone(),
            blocked: false,
        };
        let mut s = StreamWriter::new_direct(open);
        no_allocation(&out, hooks, || {
            s.write(b"34");
            s.write(&buf);
        });
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
