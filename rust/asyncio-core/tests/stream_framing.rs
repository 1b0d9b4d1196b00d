//! Stream framing over arbitrary chunk boundaries: whatever sizes the transport delivers bytes
//! in (and however often it makes the reader wait), `readline`, `readexactly`, `read` and
//! `readinto` return what a model working on the whole byte string returns, and a read
//! cancelled while waiting loses nothing.

// One task at a time uses the shared reader or writer; the borrow across the await is the point
// (a second user would be a bug the RefCell reports).
#![allow(clippy::await_holding_refcell_ref)]

use std::cell::Cell;
use std::rc::Rc;

use asyncio_core::io::{ErrorType, Read, StreamReader, StreamWriter, Write};
use asyncio_core::{create_task, run, yield_now, Error};
use proptest::prelude::*;

/// A transport delivering `data` in the given chunk sizes (cycled), waiting one loop round
/// before each chunk.
struct Chunked {
    data: Vec<u8>,
    pos: usize,
    chunks: Vec<usize>,
    next: usize,
    /// Reads that returned bytes or the end, for the cancellation test.
    reads: Rc<Cell<usize>>,
}

impl Chunked {
    fn new(data: &[u8], chunks: &[usize]) -> Self {
        Chunked {
            data: data.to_vec(),
            pos: 0,
            chunks: chunks.to_vec(),
            next: 0,
            reads: Rc::new(Cell::new(0)),
        }
    }
}

impl ErrorType for Chunked {
    type Error = Error;
}

impl Read for Chunked {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        yield_now().await?;
        let chunk = self.chunks[self.next % self.chunks.len()];
        self.next += 1;
        let n = chunk.min(buf.len()).min(self.data.len() - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        self.reads.set(self.reads.get() + 1);
        Ok(n)
    }
}

/// A transport accepting at most the given chunk sizes per write, waiting before each.
struct Slow {
    sent: Vec<u8>,
    chunks: Vec<usize>,
    next: usize,
}

impl ErrorType for Slow {
    type Error = Error;
}

impl Write for Slow {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Error> {
        yield_now().await?;
        let n = self.chunks[self.next % self.chunks.len()].min(buf.len());
        self.next += 1;
        self.sent.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    async fn flush(&mut self) -> Result<(), Error> {
        Ok(())
    }
}

#[derive(Clone, Debug)]
enum Op {
    Line,
    Exactly(usize),
    Read(usize),
    Into(usize),
}

/// What each op returns on the whole remaining input `rest`, and how many bytes it consumes.
fn model(op: &Op, rest: &[u8], limit: usize) -> (Result<Vec<u8>, Error>, usize) {
    match *op {
        Op::Line => {
            let window = &rest[..rest.len().min(limit)];
            match window.iter().position(|&b| b == b'\n') {
                Some(i) => (Ok(rest[..=i].to_vec()), i + 1),
                None if rest.len() >= limit => (Err(Error::LineTooLong { limit }), 0),
                None => (Ok(rest.to_vec()), rest.len()),
            }
        }
        Op::Exactly(n) if n <= rest.len() => (Ok(rest[..n].to_vec()), n),
        Op::Exactly(n) => (
            Err(Error::IncompleteRead {
                expected: n,
                received: rest.len(),
            }),
            0,
        ),
        // Reads may return fewer bytes than asked: checked separately.
        Op::Read(_) | Op::Into(_) => unreachable!(),
    }
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Line),
        1 => (0usize..40).prop_map(Op::Exactly),
        1 => (0usize..40).prop_map(Op::Read),
        1 => (0usize..40).prop_map(Op::Into),
    ]
}

/// Text with short and long lines, sometimes without a final newline.
fn text() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![8 => Just(b'a'), 1 => Just(b'\n'), 1 => Just(b'\r')],
        0..300,
    )
}

fn chunks() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..50, 1..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn reads_match_the_model_whatever_the_chunking(
        data in text(),
        chunks in chunks(),
        ops in prop::collection::vec(op(), 1..40),
        limit in 1usize..64,
    ) {
        let outcome = run(async move {
            let mut reader = StreamReader::new(Chunked::new(&data, &chunks)).with_line_limit(limit);
            let mut pos = 0;
            for op in &ops {
                let rest = &data[pos..];
                match op {
                    Op::Read(n) | Op::Into(n) => {
                        let got = match op {
                            Op::Read(_) => reader.read(*n).await.unwrap(),
                            _ => {
                                let mut buf = vec![0; *n];
                                let k = reader.readinto(&mut buf).await.unwrap();
                                buf.truncate(k);
                                buf
                            }
                        };
                        // Some bytes (at most n) unless asked for none or at the end.
                        prop_assert!(got.len() <= *n);
                        prop_assert_eq!(got.is_empty(), *n == 0 || rest.is_empty());
                        prop_assert_eq!(&got[..], &rest[..got.len()]);
                        pos += got.len();
                    }
                    _ => {
                        let (want, used) = model(op, rest, limit);
                        let got = match op {
                            Op::Line => reader.readline().await,
                            Op::Exactly(n) => reader.readexactly(*n).await,
                            _ => unreachable!(),
                        };
                        prop_assert_eq!(got, want);
                        pos += used;
                    }
                }
                // Whatever is buffered is the next part of the input: nothing lost or repeated.
                prop_assert_eq!(reader.buffered(), &data[pos..pos + reader.buffered().len()]);
            }
            prop_assert_eq!(reader.read_to_end().await.unwrap(), &data[pos..]);
            Ok(())
        });
        outcome.unwrap()?;
    }

    #[test]
    fn a_readline_cancelled_while_waiting_loses_nothing(
        data in text(),
        chunks in chunks(),
        cancel_after in prop::collection::vec(1usize..6, 1..20),
    ) {
        // Lines are read in a task that is cancelled after a few transport reads; a new task
        // takes the same reader over. All of them together must read the input exactly once.
        let input = data.clone();
        let got = run(async move {
            let transport = Chunked::new(&input, &chunks);
            let reads = transport.reads.clone();
            let reader = Rc::new(std::cell::RefCell::new(
                StreamReader::new(transport).with_line_limit(usize::MAX),
            ));
            let out = Rc::new(std::cell::RefCell::new(Vec::new()));
            let mut attempts = cancel_after.iter().cycle();
            loop {
                let (r, o) = (reader.clone(), out.clone());
                let task = create_task(async move {
                    loop {
                        let line = r.borrow_mut().readline().await?;
                        if line.is_empty() {
                            return Ok::<_, Error>(());
                        }
                        o.borrow_mut().extend_from_slice(&line);
                    }
                });
                let stop_at = reads.get() + attempts.next().unwrap();
                while !task.done() && reads.get() < stop_at {
                    yield_now().await.unwrap();
                }
                if !task.done() {
                    task.cancel();
                }
                match task.await {
                    Ok(()) => break,
                    Err(e) => assert!(e.is_cancelled()),
                }
            }
            let out = out.borrow().clone();
            out
        })
        .unwrap();
        prop_assert_eq!(got, data);
    }

    #[test]
    fn drain_sends_every_byte_in_order_across_cancellations(
        pieces in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..100), 0..10),
        chunks in chunks(),
        cancel_after in 0usize..5,
    ) {
        let sent = run(async move {
            let writer = Rc::new(std::cell::RefCell::new(StreamWriter::new(Slow {
                sent: Vec::new(),
                chunks,
                next: 0,
            })));
            for piece in &pieces {
                writer.borrow_mut().write(piece);
            }
            // A first drain, cancelled part-way; a second one finishes the job.
            let w = writer.clone();
            let first = create_task(async move { w.borrow_mut().drain().await });
            for _ in 0..cancel_after {
                yield_now().await.unwrap();
            }
            first.cancel();
            let _ = first.await;
            writer.borrow_mut().drain().await.unwrap();
            assert!(writer.borrow().buffered().is_empty());
            let sent = writer.borrow().get_ref().sent.clone();
            (sent, pieces.concat())
        })
        .unwrap();
        prop_assert_eq!(sent.0, sent.1);
    }
}
