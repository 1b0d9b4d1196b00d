//! The synchronisation primitives tasks share (MicroPython's `event.py` and `lock.py`, and the
//! micropython-async extras). All but [`ThreadSafeFlag`] are loop-thread only: neither `Send`
//! nor `Sync`, so an interrupt handler cannot touch them.

// What the types promise: the loop-only primitives cannot be shared with an interrupt handler
// or thread, the flag can.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<ThreadSafeFlag>();
};

mod barrier;
mod condition;
mod delay;
mod event;
mod hand_off;
mod lock;
mod notification;
mod permits;
mod queue;
mod semaphore;
mod thread_safe_flag;
mod waiter;

pub use barrier::{Barrier, BarrierWait};
pub use condition::Condition;
pub use delay::Delay;
pub use event::Event;
pub use lock::{Lock, LockGuard};
pub use permits::Acquire;
pub use queue::{Get, Put, Queue};
pub use semaphore::{BoundedSemaphore, Permit, Semaphore, SemaphoreAcquire};
pub use thread_safe_flag::{FlagWait, ThreadSafeFlag};
pub(crate) use waiter::{WaitPolicy, Waiter};
