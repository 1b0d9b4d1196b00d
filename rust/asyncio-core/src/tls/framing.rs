//! [`Framed`]: the transport under embedded-tls, following the TLS record framing so that a
//! read cancelled in the middle of a record costs nothing.
//!
//! embedded-tls reads a record's 5-byte header into a local of its read future, then the body
//! into its buffer (kept across calls). A read cancelled after the header was taken loses the
//! header with the future. This wrapper knows where each record starts: it never reads past the
//! end of the current record, keeps the current record's header, and when a read begins after a
//! cancelled one in the middle of a record ([`Framing::begin_read`]), hands the header out again,
//! so embedded-tls starts the record over with the body bytes it already holds.

use alloc::rc::Rc;
use core::cell::Cell;

use crate::io::{ErrorType, Read, Write};

/// A record header's length: content type, version, length (RFC 8446, 5.1).
const HEADER: usize = 5;

/// Where the transport is in the record stream, shared by the wrapper and the stream above it.
#[derive(Default)]
pub(super) struct Framing {
    /// The current record's header, as far as it has arrived.
    header: Cell<[u8; HEADER]>,
    /// How much of it has arrived (0: at a record boundary).
    have: Cell<usize>,
    /// Once the header is whole: the body bytes still to come.
    body_left: Cell<usize>,
    /// How much of the header has been handed out again since a restart, while replaying.
    replayed: Cell<Option<usize>>,
    /// A read is under way (left set by a read that was cancelled).
    reading: Cell<bool>,
}

impl Framing {
    /// A TLS read begins: if the last one was cancelled in the middle of a record, its header
    /// is handed out again first.
    pub(super) fn begin_read(&self) {
        if self.reading.replace(true) && self.have.get() > 0 {
            self.replayed.set(Some(0));
        }
    }

    /// The TLS read finished (with data or an error): nothing to replay next time.
    pub(super) fn end_read(&self) {
        self.reading.set(false);
    }

    /// Takes `got` header bytes that just arrived in `bytes`.
    fn header_arrived(&self, bytes: &[u8]) {
        let mut header = self.header.get();
        let have = self.have.get();
        header[have..have + bytes.len()].copy_from_slice(bytes);
        self.header.set(header);
        self.have.set(have + bytes.len());
        if have + bytes.len() == HEADER {
            let length = usize::from(u16::from_be_bytes([header[3], header[4]]));
            self.body_left.set(length);
            if length == 0 {
                self.have.set(0);
            }
        }
    }

    /// Takes `got` body bytes that just arrived.
    fn body_arrived(&self, got: usize) {
        let left = self.body_left.get() - got;
        self.body_left.set(left);
        if left == 0 {
            self.have.set(0);
        }
    }
}

/// A transport whose reads stop at record boundaries and replay a cut header (see the module).
#[derive(Clone)]
pub(super) struct Framed<T> {
    inner: T,
    framing: Rc<Framing>,
}

impl<T> Framed<T> {
    pub(super) fn new(inner: T) -> (Self, Rc<Framing>) {
        let framing = Rc::new(Framing::default());
        (
            Framed {
                inner,
                framing: framing.clone(),
            },
            framing,
        )
    }

    /// The transport under the framing.
    pub(super) fn get_ref(&self) -> &T {
        &self.inner
    }
}

impl<T: ErrorType> ErrorType for Framed<T> {
    type Error = T::Error;
}

impl<T: Read> Read for Framed<T> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, T::Error> {
        let framing = &*self.framing;
        let have = framing.have.get();
        if let Some(from) = framing.replayed.get() {
            let n = buf.len().min(have - from);
            buf[..n].copy_from_slice(&framing.header.get()[from..from + n]);
            framing.replayed.set(if from + n == have {
                None
            } else {
                Some(from + n)
            });
            return Ok(n);
        }
        if have < HEADER {
            let want = buf.len().min(HEADER - have);
            let got = self.inner.read(&mut buf[..want]).await?;
            framing.header_arrived(&buf[..got]);
            Ok(got)
        } else {
            let want = buf.len().min(framing.body_left.get());
            let got = self.inner.read(&mut buf[..want]).await?;
            framing.body_arrived(got);
            Ok(got)
        }
    }
}

impl<T: Write> Write for Framed<T> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, T::Error> {
        self.inner.write(buf).await
    }

    async fn flush(&mut self) -> Result<(), T::Error> {
        self.inner.flush().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// Bytes handed out a few at a time.
    #[derive(Clone)]
    struct Trickle(Rc<core::cell::RefCell<(Vec<u8>, usize)>>);

    impl ErrorType for Trickle {
        type Error = crate::Error;
    }

    impl Read for Trickle {
        async fn read(&mut self, buf: &mut [u8]) -> crate::Result<usize> {
            let mut state = self.0.borrow_mut();
            let (data, at) = &mut *state;
            let n = buf.len().min(2).min(data.len() - *at);
            buf[..n].copy_from_slice(&data[*at..*at + n]);
            *at += n;
            Ok(n)
        }
    }

    /// A read of the trickle, which never waits.
    fn read_now(framed: &mut Framed<Trickle>, buf: &mut [u8]) -> usize {
        use futures_util::FutureExt;
        framed.read(buf).now_or_never().unwrap().unwrap()
    }

    #[test]
    fn reads_stop_at_each_record_end() {
        let records = [&[23u8, 3, 3, 0, 3, 1, 2, 3][..], &[23, 3, 3, 0, 1, 9]].concat();
        let (mut framed, _) = Framed::new(Trickle(Rc::new((records, 0).into())));
        let mut got = Vec::new();
        let mut buf = [0; 64];
        let mut reads = 0;
        while got.len() < 14 {
            let n = read_now(&mut framed, &mut buf);
            got.extend_from_slice(&buf[..n]);
            reads += 1;
        }
        // Header 2+2+1, body 2+1, header 2+2+1, body 1: never across a boundary.
        assert_eq!(reads, 9);
        assert_eq!(got, [23, 3, 3, 0, 3, 1, 2, 3, 23, 3, 3, 0, 1, 9]);
    }

    #[test]
    fn a_read_cancelled_mid_record_gets_its_header_again() {
        let record = [23u8, 3, 3, 0, 4, 1, 2, 3, 4].to_vec();
        let (mut framed, framing) = Framed::new(Trickle(Rc::new((record, 0).into())));
        let mut buf = [0; 64];
        framing.begin_read();
        // The header and two body bytes arrive; then the read is "cancelled" (never ended).
        let mut first = Vec::new();
        while first.len() < 7 {
            let n = read_now(&mut framed, &mut buf);
            first.extend_from_slice(&buf[..n]);
        }
        framing.begin_read(); // the next read starts the record over
        let mut header = Vec::new();
        while header.len() < 5 {
            let n = read_now(&mut framed, &mut buf[..5 - header.len()]);
            header.extend_from_slice(&buf[..n]);
        }
        assert_eq!(header, [23, 3, 3, 0, 4]);
        // Then only the body bytes that had not arrived.
        let n = read_now(&mut framed, &mut buf);
        assert_eq!(&buf[..n], [3, 4]);
        framing.end_read();
        framing.begin_read(); // at a boundary: nothing to replay
        assert_eq!(read_now(&mut framed, &mut buf), 0);
    }
}
