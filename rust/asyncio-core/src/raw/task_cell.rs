//! The task allocation: header plus the future (later its output), and the vtable through which
//! the loop drives it without knowing its type.
//!
//! A cell lives where its [`Home`] says: on the heap ([`Heap`]), or in a slot of a static
//! [`TaskPool`](crate::TaskPool). The memory is found first (so running out of it is an error
//! the caller sees, before anything is built) and the cell is then written into it.

extern crate alloc;

use core::alloc::Layout;
use core::cell::{Cell, UnsafeCell};
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll};

use super::header::{Contents, Header, TaskPtr};
use super::wake_queue::WakeQueue;

/// How the loop judges a finished task's output: does it carry a failure for the exception
/// handler, and does it mean the task was cancelled?
pub(crate) trait Verdict<T> {
    fn failure(output: &T) -> Option<&dyn fmt::Debug>;
    fn is_cancelled(output: &T) -> bool;
}

/// Tasks from `create_task`: their output implements [`TaskOutput`](crate::TaskOutput).
pub(crate) struct ByTaskOutput;

impl<T: crate::TaskOutput> Verdict<T> for ByTaskOutput {
    fn failure(output: &T) -> Option<&dyn fmt::Debug> {
        output.failure()
    }
    fn is_cancelled(output: &T) -> bool {
        output.is_cancelled()
    }
}

/// `run()`'s main task: any output type, handed to the caller as it is.
pub(crate) struct AsIs;

impl<T> Verdict<T> for AsIs {
    fn failure(_: &T) -> Option<&dyn fmt::Debug> {
        None
    }
    fn is_cancelled(_: &T) -> bool {
        false
    }
}

/// How a task ended, as far as the loop cares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Outcome {
    Unfinished,
    Succeeded,
    Failed,
    Cancelled,
    /// The output was handed to an awaiter.
    Retrieved,
}

/// Receives a task's failure, for as long as the call lasts.
pub(crate) type FailureSink<'a> = &'a mut dyn FnMut(&dyn fmt::Debug);

/// The type-erased operations on a task.
pub(crate) struct TaskVTable {
    /// Polls the future once; `Ready` once it has finished (the output is then stored).
    pub(crate) poll: unsafe fn(TaskPtr, &mut Context<'_>) -> Poll<()>,
    /// Drops the future, or its output if it already finished: the task ends cancelled.
    pub(crate) discard: unsafe fn(TaskPtr),
    /// Moves the output into `*(dst as *mut Option<F::Output>)`; `None` if it was dropped.
    pub(crate) take_output: unsafe fn(TaskPtr, *mut ()),
    /// The output in place, as a `*const F::Output`; null if it is not there (unfinished,
    /// dropped or taken).
    pub(crate) output: unsafe fn(TaskPtr) -> *const (),
    pub(crate) outcome: unsafe fn(TaskPtr) -> Outcome,
    /// Calls the function with the failure, if the task ended with one.
    pub(crate) with_failure: unsafe fn(TaskPtr, FailureSink<'_>),
    pub(crate) dealloc: unsafe fn(TaskPtr),
    /// The future's type name: the task's name unless it is given one.
    pub(crate) type_name: fn() -> &'static str,
}

/// Where a task's memory comes from, and how it goes back.
pub(crate) trait Home: 'static {
    /// Takes back the memory of a cell of `layout` whose contents were dropped in place.
    ///
    /// # Safety
    /// `memory` must have come from this home for a cell of `layout`, and be given back once.
    unsafe fn give_back(memory: NonNull<u8>, layout: Layout);
}

/// The global allocator's heap: what [`create_task`](crate::create_task) uses.
pub(crate) struct Heap;

impl Home for Heap {
    unsafe fn give_back(memory: NonNull<u8>, layout: Layout) {
        // SAFETY: the memory came from `heap_memory` with this layout.
        unsafe { alloc::alloc::dealloc(memory.as_ptr(), layout) }
    }
}

impl Heap {
    /// Memory for a cell of `layout`; `None` if the heap has no room.
    pub(crate) fn memory(layout: Layout) -> Option<NonNull<u8>> {
        // SAFETY: a task cell is never zero-sized (it holds the header).
        NonNull::new(unsafe { alloc::alloc::alloc(layout) })
    }
}

/// What a cell's stage holds: the future, then its output (see [`Contents`] for which).
union Stage<F: Future> {
    future: ManuallyDrop<F>,
    output: ManuallyDrop<F::Output>,
}

/// A task as allocated: the header first, so a header pointer is a cell pointer. Which member
/// of `stage` is alive is the header's [`Contents`], kept in the header's spare bytes rather
/// than as an enum tag here (with an 8-byte output, a tag would cost 8 bytes per task).
#[repr(C)]
struct TaskCell<F: Future, V> {
    header: Header,
    stage: UnsafeCell<Stage<F>>,
    _verdict: PhantomData<V>,
}

impl<F: Future, V> Drop for TaskCell<F, V> {
    fn drop(&mut self) {
        let contents = &self.header.local.contents;
        let stage = self.stage.get_mut();
        match contents.replace(Contents::Dropped) {
            // SAFETY: `contents` says which member is alive; it is dropped once.
            Contents::Running => unsafe { ManuallyDrop::drop(&mut stage.future) },
            // SAFETY: as above.
            Contents::Finished => unsafe { ManuallyDrop::drop(&mut stage.output) },
            Contents::Dropped | Contents::Retrieved => {}
        }
    }
}

/// The memory a task of future `F` needs, header included.
pub(crate) const fn cell_layout<F: Future, V>() -> Layout {
    Layout::new::<TaskCell<F, V>>()
}

/// Builds a task for `future` in `memory`, with `refs` references, marked scheduled if
/// `scheduled` (one of the references is then the run queue's).
///
/// # Safety
/// `memory` must be valid for [`cell_layout::<F, V>`] and come from home `H`, which takes it
/// back when the task is freed.
pub(crate) unsafe fn build<F, V, H>(
    memory: NonNull<u8>,
    future: F,
    wake_queue: &'static WakeQueue,
    refs: u32,
    scheduled: bool,
) -> TaskPtr
where
    F: Future + 'static,
    V: Verdict<F::Output> + 'static,
    H: Home,
{
    let cell = memory.cast::<TaskCell<F, V>>().as_ptr();
    let header = Header::new(wake_queue, vtable::<F, V, H>(), refs, scheduled);
    let stage = UnsafeCell::new(Stage {
        future: ManuallyDrop::new(future),
    });
    // SAFETY: the caller provides memory of the cell's layout; each field is written in place
    // (the future is not copied once more through a whole cell on the stack; `_verdict` is
    // zero-sized). The header is the first field of a `repr(C)` cell, so the cell pointer is a
    // header pointer.
    unsafe {
        core::ptr::addr_of_mut!((*cell).header).write(header);
        core::ptr::addr_of_mut!((*cell).stage).write(stage);
        TaskPtr::from_raw(cell as *const ())
    }
}

/// The vtable for tasks of future type `F` living in `H` (a promoted constant: one per type,
/// never freed).
fn vtable<F: Future + 'static, V: Verdict<F::Output> + 'static, H: Home>() -> &'static TaskVTable {
    &TaskVTable {
        poll: poll::<F, V>,
        discard: discard::<F, V>,
        take_output: take_output::<F, V>,
        output: output::<F, V>,
        outcome: outcome::<F, V>,
        with_failure: with_failure::<F, V>,
        dealloc: dealloc::<F, V, H>,
        type_name: core::any::type_name::<F>,
    }
}

/// The task's stage and what it holds.
///
/// # Safety
/// `task` must be a live task built by [`build::<F, V, _>`], used on its loop thread, and no
/// other reference to its stage may exist for the returned lifetime.
unsafe fn stage<'a, F: Future + 'a, V>(task: TaskPtr) -> (&'a mut Stage<F>, &'a Cell<Contents>) {
    let cell = task.as_raw() as *const TaskCell<F, V>;
    // SAFETY: per the contract, the cell is live, of this type, and not otherwise borrowed.
    unsafe { (&mut *(*cell).stage.get(), &(*cell).header.local.contents) }
}

/// The output in place, if the stage holds it.
///
/// # Safety
/// As [`stage`].
unsafe fn finished<'a, F: Future + 'a, V>(task: TaskPtr) -> Option<&'a F::Output> {
    // SAFETY: forwarded.
    let (stage, contents) = unsafe { stage::<F, V>(task) };
    // SAFETY: `contents` says the output is the live member.
    (contents.get() == Contents::Finished).then(|| unsafe { &*stage.output })
}

unsafe fn poll<F: Future, V>(task: TaskPtr, cx: &mut Context<'_>) -> Poll<()> {
    // SAFETY: the loop calls this on its own thread with the task referenced by its run queue.
    let (stage, contents) = unsafe { stage::<F, V>(task) };
    if contents.get() != Contents::Running {
        return Poll::Ready(());
    }
    // SAFETY: the future is the live member; it lives in the cell and is only ever dropped in
    // place, never moved.
    let future = unsafe { Pin::new_unchecked(&mut *stage.future) };
    match future.poll(cx) {
        Poll::Ready(output) => {
            // Marked dropped first: if the future's drop panics, nothing drops it again.
            contents.set(Contents::Dropped);
            // SAFETY: the future is the live member, dropped once here.
            unsafe { ManuallyDrop::drop(&mut stage.future) };
            stage.output = ManuallyDrop::new(output);
            contents.set(Contents::Finished);
            Poll::Ready(())
        }
        Poll::Pending => Poll::Pending,
    }
}

unsafe fn discard<F: Future, V>(task: TaskPtr) {
    // SAFETY: called by the loop on its thread, outside any poll of this task.
    let (stage, contents) = unsafe { stage::<F, V>(task) };
    match contents.get() {
        Contents::Running => {
            contents.set(Contents::Dropped);
            // SAFETY: the live member, dropped once.
            unsafe { ManuallyDrop::drop(&mut stage.future) };
        }
        Contents::Finished => {
            contents.set(Contents::Dropped);
            // SAFETY: the live member, dropped once.
            unsafe { ManuallyDrop::drop(&mut stage.output) };
        }
        Contents::Dropped | Contents::Retrieved => {}
    }
}

unsafe fn take_output<F: Future, V>(task: TaskPtr, dst: *mut ()) {
    // SAFETY: called on the loop thread by a handle that holds a reference.
    let (stage, contents) = unsafe { stage::<F, V>(task) };
    let out = match contents.get() {
        Contents::Finished => {
            contents.set(Contents::Retrieved);
            // SAFETY: the live member, moved out once (the stage is marked retrieved).
            Some(unsafe { ManuallyDrop::take(&mut stage.output) })
        }
        // Not finished: leave it alone.
        Contents::Running => return,
        Contents::Dropped | Contents::Retrieved => None,
    };
    // SAFETY: the caller passes a `*mut Option<F::Output>`; the handle type fixes `F::Output`.
    unsafe { *(dst as *mut Option<F::Output>) = out };
}

unsafe fn output<F: Future, V>(task: TaskPtr) -> *const () {
    // SAFETY: called on the loop thread by a handle that holds a reference.
    match unsafe { finished::<F, V>(task) } {
        Some(output) => output as *const F::Output as *const (),
        None => core::ptr::null(),
    }
}

unsafe fn outcome<F: Future, V: Verdict<F::Output>>(task: TaskPtr) -> Outcome {
    // SAFETY: called on the loop thread, outside any poll of this task.
    let contents = unsafe { stage::<F, V>(task) }.1.get();
    // SAFETY: as above.
    let finished = unsafe { finished::<F, V>(task) };
    match (contents, finished) {
        (_, Some(output)) if V::is_cancelled(output) => Outcome::Cancelled,
        (_, Some(output)) if V::failure(output).is_some() => Outcome::Failed,
        (_, Some(_)) => Outcome::Succeeded,
        (Contents::Running, None) => Outcome::Unfinished,
        (Contents::Retrieved, None) => Outcome::Retrieved,
        (_, None) => Outcome::Cancelled,
    }
}

unsafe fn with_failure<F: Future, V: Verdict<F::Output>>(task: TaskPtr, f: FailureSink<'_>) {
    // SAFETY: called on the loop thread, outside any poll of this task.
    if let Some(failure) = unsafe { finished::<F, V>(task) }.and_then(V::failure) {
        f(failure);
    }
}

unsafe fn dealloc<F: Future, V, H: Home>(task: TaskPtr) {
    let cell = task.as_raw() as *mut TaskCell<F, V>;
    // SAFETY: the last reference is gone and the cell was built by `build::<F, V, H>`: it is
    // dropped once (its `Drop` drops the stage's live member), then its memory goes back where
    // it came from.
    unsafe {
        core::ptr::drop_in_place(cell);
        H::give_back(
            NonNull::new_unchecked(cell as *mut u8),
            cell_layout::<F, V>(),
        );
    }
}
