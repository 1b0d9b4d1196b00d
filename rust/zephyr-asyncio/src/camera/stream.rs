//! [`Frames`]: a camera's frames as a `Stream`.

use alloc::boxed::Box;
use alloc::rc::Rc;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_util::Stream;

use super::error::CameraError;
use super::frame::Frame;
use super::state::Shared;

type Snapshot = Pin<Box<dyn Future<Output = Result<Frame, CameraError>>>>;

/// The stream of [`Camera::frames`](super::Camera::frames): each item is a snapshot's result;
/// it ends once the camera is dropped. `Unpin`, so `frames.next().await` just works.
///
/// ```no_run
/// # use asyncio::camera::{Camera, CameraError, Frame};
/// use futures_util::StreamExt;
///
/// # fn process(_: &Frame) {}
/// # async fn f(camera: &Camera) -> Result<(), CameraError> {
/// let mut frames = camera.frames();
/// while let Some(frame) = frames.next().await {
///     process(&frame?);
/// }
/// # Ok(()) }
/// ```
pub struct Frames {
    shared: Rc<Shared>,
    next: Option<Snapshot>,
}

impl Frames {
    pub(super) fn new(shared: Rc<Shared>) -> Self {
        Frames { shared, next: None }
    }
}

impl Stream for Frames {
    type Item = Result<Frame, CameraError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let shared = &this.shared;
        let next = this
            .next
            .get_or_insert_with(|| Box::pin(shared.clone().snapshot()));
        let result = core::task::ready!(next.as_mut().poll(cx));
        this.next = None;
        Poll::Ready(match result {
            Err(CameraError::Stopped) if this.shared.state.borrow().closed => None,
            result => Some(result),
        })
    }
}
