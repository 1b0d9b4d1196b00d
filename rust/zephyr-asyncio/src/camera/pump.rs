//! The pump: the camera's task while it streams, which takes each finished buffer from the
//! driver and applies the freshness policy.

use alloc::rc::Rc;

use log::warn;

use super::driver::BufferPtr;
use super::freshness::Freshness;
use super::source::VIDEO_BUF_ABORTED;
use super::state::{Ready, Shared, State};

/// The camera's task while it streams: each finished buffer, as soon as the driver signals it.
pub(super) async fn pump(shared: Rc<Shared>) -> asyncio_core::Result<()> {
    let mut last_signal = 0;
    loop {
        let buffer = shared.source.next(shared.dev, &mut last_signal).await?;
        shared.completed(buffer, last_signal == VIDEO_BUF_ABORTED);
    }
}

impl Shared {
    /// A buffer the driver finished: to the ready queue, per the freshness policy.
    fn completed(&self, buffer: BufferPtr, aborted: bool) {
        let mut st = self.state.borrow_mut();
        st.sequence = st.sequence.wrapping_add(1);
        // SAFETY: a pool buffer the driver just handed back; only this camera reads it.
        if unsafe { (*buffer.as_ptr()).bytesused } == 0 {
            st.stats.failed += 1;
            self.requeue(&mut st, buffer);
            let _ = self.ready.put_nowait(Ready::Failed { aborted });
            return;
        }
        if st.freshness == Freshness::NewestWins {
            while let Some(stale) = self.ready.get_nowait() {
                if let Ready::Frame { buffer: stale, .. } = stale {
                    st.stats.dropped += 1;
                    self.requeue(&mut st, stale);
                }
            }
        }
        let sequence = st.sequence;
        let _ = self.ready.put_nowait(Ready::Frame { buffer, sequence });
    }

    fn requeue(&self, st: &mut State, buffer: BufferPtr) {
        if let Err(e) = self.dev.enqueue(buffer) {
            warn!("camera: {e}");
            st.idle.push(buffer);
        }
    }
}
