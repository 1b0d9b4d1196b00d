//! The state a camera shares with its frames and its pump task: starting and stopping the
//! stream, the buffers, and the snapshot that takes the next frame from the pump.
//!
//! Buffer ownership, at any moment each pool buffer is in exactly one place: at the driver, in
//! the `ready` queue, in a [`Frame`] the application holds, or `idle` (ours, camera stopped).

use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;

use asyncio_core::{create_task, Queue, TaskRef};
use log::warn;

use super::driver::{BufferPool, BufferPtr, Device, Layout};
use super::error::CameraError;
use super::format::FormatCap;
use super::frame::Frame;
use super::freshness::Freshness;
use super::pump::pump;
use super::source::Source;
use super::stats::CameraStats;

/// What the pump hands to snapshots.
pub(super) enum Ready {
    Frame {
        buffer: BufferPtr,
        sequence: u32,
    },
    Failed {
        aborted: bool,
    },
    /// The camera stopped while a snapshot waited.
    Stopped,
}

pub(super) struct State {
    pub(super) layout: Layout,
    /// Frame buffers asked for; `None`: automatic (3, else 2, else 1, as OpenMV).
    pub(super) buffer_count: Option<usize>,
    pub(super) freshness: Freshness,
    pub(super) pool: BufferPool,
    pub(super) idle: Vec<BufferPtr>,
    /// Buffers in frames the application holds.
    pub(super) held: usize,
    pub(super) streaming: bool,
    /// The camera handle is gone: no restart.
    pub(super) closed: bool,
    pub(super) pump: Option<TaskRef>,
    /// Frames the driver finished, dropped ones included.
    pub(super) sequence: u32,
    pub(super) stats: CameraStats,
}

pub(super) struct Shared {
    pub(super) dev: Device,
    pub(super) source: Source,
    pub(super) caps: Vec<FormatCap>,
    pub(super) min_buffers: usize,
    /// The format the driver had when the camera was created, for `reset`.
    pub(super) initial: Layout,
    pub(super) ready: Queue<Ready>,
    pub(super) state: RefCell<State>,
}

impl Shared {
    /// Starts streaming: buffers to the driver, the source, the stream, the pump.
    pub(super) fn start(self: &Rc<Self>) -> Result<(), CameraError> {
        let mut st = self.state.borrow_mut();
        if st.streaming {
            return Ok(());
        }
        if st.closed {
            return Err(CameraError::Stopped);
        }
        self.ensure_buffers(&mut st)?;
        // Markers for snapshots that gave up waiting meanwhile.
        while self.ready.get_nowait().is_some() {}
        self.source.start(self.dev)?;
        let mut result = Ok(());
        while let Some(buffer) = st.idle.pop() {
            if let Err(e) = self.dev.enqueue(buffer) {
                st.idle.push(buffer);
                result = Err(e);
                break;
            }
        }
        let result = result.and_then(|()| self.dev.stream_start());
        if let Err(e) = result {
            self.source.stop();
            let _ = self.dev.stream_stop();
            self.reclaim(&mut st);
            return Err(e);
        }
        st.streaming = true;
        let pump = create_task(pump(self.clone()));
        pump.set_name("camera");
        st.pump = Some(pump.to_ref());
        Ok(())
    }

    /// Stops streaming and takes every buffer back from the driver; snapshots still waiting
    /// get [`CameraError::Stopped`].
    pub(super) fn stop(&self) -> Result<(), CameraError> {
        let mut st = self.state.borrow_mut();
        if !st.streaming {
            return Ok(());
        }
        if let Some(pump) = st.pump.take() {
            pump.abort();
        }
        self.source.stop();
        let stopped = self.dev.stream_stop();
        st.streaming = false;
        self.reclaim(&mut st);
        for _ in 0..self.ready.waiting().0 {
            let _ = self.ready.put_nowait(Ready::Stopped);
        }
        stopped
    }

    /// Collects the buffers the driver and the ready queue hold into `idle`.
    fn reclaim(&self, st: &mut State) {
        while let Some(buffer) = self.source.take_now(self.dev) {
            st.idle.push(buffer);
        }
        while let Some(buffer) = self.dev.dequeue_now() {
            st.idle.push(buffer);
        }
        while let Some(item) = self.ready.get_nowait() {
            if let Ready::Frame { buffer, .. } = item {
                st.idle.push(buffer);
            }
        }
        let missing = st
            .pool
            .buffers()
            .len()
            .saturating_sub(st.idle.len() + st.held);
        if missing > 0 {
            warn!("camera: the driver kept {missing} frame buffers after stopping");
        }
    }

    /// Allocates the frame buffers, unless the pool already fits the format and count.
    fn ensure_buffers(&self, st: &mut State) -> Result<(), CameraError> {
        let size = st.layout.size as usize;
        let have = st.pool.buffers().len();
        let fits = have > 0
            && st.pool.size() >= size
            && st.buffer_count.is_none_or(|wanted| wanted == have);
        if fits {
            return Ok(());
        }
        if st.held > 0 {
            return Err(CameraError::Busy);
        }
        st.idle.clear();
        st.pool = BufferPool::empty();
        let automatic = [3, 2, 1];
        let counts = match st.buffer_count {
            Some(ref wanted) => core::slice::from_ref(wanted),
            None => &automatic[..],
        };
        let mut failure = CameraError::BufferCount {
            requested: 0,
            minimum: self.min_buffers,
        };
        for &count in counts.iter().filter(|&&count| count >= self.min_buffers) {
            match BufferPool::allocate(count, size) {
                Ok(pool) => {
                    st.idle = pool.buffers().to_vec();
                    st.pool = pool;
                    return Ok(());
                }
                Err(e) => failure = e,
            }
        }
        Err(failure)
    }

    /// A frame the application dropped: back to the driver, or idle if stopped.
    pub(super) fn give_back(&self, buffer: BufferPtr) {
        let mut st = self.state.borrow_mut();
        st.held -= 1;
        if !st.streaming || self.dev.enqueue(buffer).is_err() {
            st.idle.push(buffer);
        }
    }

    /// The next frame, starting the camera if it is stopped (as OpenMV's first snapshot does).
    pub(super) async fn snapshot(self: Rc<Self>) -> Result<Frame, CameraError> {
        self.start()?;
        match self.ready.get().await? {
            Ready::Frame { buffer, sequence } => {
                let mut st = self.state.borrow_mut();
                st.held += 1;
                st.stats.frames += 1;
                let layout = st.layout;
                drop(st);
                Ok(Frame::new(self, buffer, sequence, layout))
            }
            Ready::Failed { aborted } => Err(CameraError::FrameFailed { aborted }),
            Ready::Stopped => Err(CameraError::Stopped),
        }
    }
}
