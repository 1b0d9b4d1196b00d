//! Reaching a loop from outside its thread: a [`LoopHandle`] names the loop, and a
//! [`RemoteCall`] is a function another thread (or an interrupt handler) asks it to run on its
//! own thread, CPython's `loop.call_soon_threadsafe`.
//!
//! The loop's state belongs to its thread; a remote call is how another context gets something
//! done there, such as Zephyr's shell listing a loop's tasks. A call is a `static`, queued by
//! reference (nothing is allocated), and runs at the loop's next round, before that round's
//! tasks are collected; a parked loop is woken for it.

use core::fmt;

use crate::raw::atomic::const_unless_loom;
use crate::raw::wake_queue::RemoteNode;
use crate::registry::{self, LoopEntry};
use crate::Loop;

/// A function a loop runs on its own thread when asked by
/// [`LoopHandle::call_soon_threadsafe`].
///
/// ```
/// use asyncio_core::{get_event_loop, Loop, RemoteCall};
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// static TASKS_SEEN: AtomicU64 = AtomicU64::new(u64::MAX);
/// static COUNT_TASKS: RemoteCall = RemoteCall::new(|lp: Loop| {
///     TASKS_SEEN.store(lp.stats().tasks_created, Ordering::Relaxed);
/// });
///
/// let lp = get_event_loop();
/// let handle = lp.handle();
/// // From another thread: ask the loop, which answers at its next round.
/// std::thread::spawn(move || assert!(handle.call_soon_threadsafe(&COUNT_TASKS)))
///     .join()
///     .unwrap();
/// lp.run_until_complete(async {}).unwrap();
/// assert_eq!(TASKS_SEEN.load(Ordering::Relaxed), 1); // the main task was created
/// ```
#[repr(C)]
pub struct RemoteCall {
    // First, so that the loop's node is this call's address.
    node: RemoteNode,
    call: fn(Loop),
}

impl RemoteCall {
    const_unless_loom! {
        /// A call of `call`, for a `static`.
        ///
        /// ```
        /// static STOP: asyncio_core::RemoteCall = asyncio_core::RemoteCall::new(|lp| lp.stop());
        /// ```
        pub fn new(call: fn(Loop)) -> Self {
            RemoteCall {
                node: RemoteNode::new(),
                call,
            }
        }
    }
}

/// Runs the remote call whose node the loop took off its queue.
pub(crate) fn serve(node: &'static RemoteNode, lp: Loop) {
    // SAFETY: the loop only queues the nodes of `RemoteCall`s (`call_soon_threadsafe`), and a
    // `repr(C)` `RemoteCall` starts with its node.
    let call = unsafe { &*(node as *const RemoteNode as *const RemoteCall) };
    (call.call)(lp);
}

/// A loop as any thread may name it: `Send`, `Sync` and `Copy`, unlike [`Loop`].
///
/// The handle of every loop of the program, to ask each of them for something:
///
/// ```
/// use asyncio_core::{get_event_loop, LoopHandle};
///
/// let mine = get_event_loop().handle();
/// assert!(LoopHandle::all().any(|lp| lp == mine));
/// assert!(!mine.is_running());
/// ```
#[derive(Clone, Copy)]
pub struct LoopHandle {
    entry: &'static LoopEntry,
}

impl LoopHandle {
    pub(crate) fn new(entry: &'static LoopEntry) -> Self {
        LoopHandle { entry }
    }

    /// Every loop of the program, newest first.
    ///
    /// ```
    /// use asyncio_core::{get_event_loop, LoopHandle};
    ///
    /// let mine = get_event_loop().handle();
    /// assert!(LoopHandle::all().any(|lp| lp == mine));
    /// ```
    pub fn all() -> impl Iterator<Item = LoopHandle> {
        registry::loops().map(LoopHandle::new)
    }

    /// Asks the loop to run `call` on its own thread at its next round, waking it if it is
    /// parked. Any thread or interrupt handler. False if `call` is queued already (on this or
    /// another loop) and has not run yet: it then runs once.
    ///
    /// ```
    /// use asyncio_core::{Loop, LoopHandle, RemoteCall};
    ///
    /// static STOP: RemoteCall = RemoteCall::new(|lp: Loop| lp.stop());
    ///
    /// /// From any thread or ISR: ends every `run_forever()` at its loop's next round.
    /// fn stop_every_loop() {
    ///     for lp in LoopHandle::all() {
    ///         while lp.is_running() && !lp.call_soon_threadsafe(&STOP) {}
    ///     }
    /// }
    /// # stop_every_loop();
    /// ```
    pub fn call_soon_threadsafe(&self, call: &'static RemoteCall) -> bool {
        self.entry.wake_queue.call_remote(&call.node)
    }

    /// Whether the loop is running (`run_until_complete` or `run_forever` on its thread).
    pub fn is_running(&self) -> bool {
        self.entry
            .running
            .load(core::sync::atomic::Ordering::Relaxed)
    }
}

impl PartialEq for LoopHandle {
    fn eq(&self, other: &Self) -> bool {
        core::ptr::eq(self.entry, other.entry)
    }
}

impl Eq for LoopHandle {}

impl fmt::Debug for LoopHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Loop {:p}>", self.entry)
    }
}
