//! The task allocation: header plus the future (later its output), and the vtable through which
//! the loop drives it without knowing its type.

extern crate alloc;

use alloc::boxed::Box;
use core::cell::UnsafeCell;
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::header::{Header, TaskPtr};
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
}

enum Stage<F: Future> {
    Running(F),
    Finished(F::Output),
    /// Dropped before it produced an output (cancelled before it started, or discarded).
    Dropped,
    Retrieved,
}

/// A task as allocated: the header first, so a header pointer is a cell pointer.
#[repr(C)]
struct TaskCell<F: Future, V> {
    header: Header,
    stage: UnsafeCell<Stage<F>>,
    _verdict: PhantomData<V>,
}

/// Allocates a task for `future` with `refs` references, marked scheduled if `scheduled` (one
/// of the references is then the run queue's).
pub(crate) fn allocate<F, V>(
    future: F,
    wake_queue: &'static WakeQueue,
    refs: u32,
    scheduled: bool,
) -> TaskPtr
where
    F: Future + 'static,
    V: Verdict<F::Output> + 'static,
{
    let cell = Box::new(TaskCell::<F, V> {
        header: Header::new(
            wake_queue,
            vtable::<F, V>(),
            core::any::type_name::<F>(),
            refs,
            scheduled,
        ),
        stage: UnsafeCell::new(Stage::Running(future)),
        _verdict: PhantomData,
    });
    // SAFETY: `Box::into_raw` is non-null, and the header is the first field of a `repr(C)` cell.
    unsafe { TaskPtr::from_raw(Box::into_raw(cell) as *const ()) }
}

/// The vtable for tasks of future type `F` (a promoted constant: one per type, never freed).
fn vtable<F: Future + 'static, V: Verdict<F::Output> + 'static>() -> &'static TaskVTable {
    &TaskVTable {
        poll: poll::<F, V>,
        discard: discard::<F, V>,
        take_output: take_output::<F, V>,
        output: output::<F, V>,
        outcome: outcome::<F, V>,
        with_failure: with_failure::<F, V>,
        dealloc: dealloc::<F, V>,
    }
}

/// # Safety
/// `task` must be a live task allocated by [`allocate::<F, V>`], used on its loop thread, and no
/// other reference to its stage may exist for the returned lifetime.
unsafe fn stage<'a, F: Future, V>(task: TaskPtr) -> &'a mut Stage<F> {
    let cell = task.as_raw() as *const TaskCell<F, V>;
    // SAFETY: per the contract, the cell is live, of this type, and not otherwise borrowed.
    unsafe { &mut *(*cell).stage.get() }
}

unsafe fn poll<F: Future, V>(task: TaskPtr, cx: &mut Context<'_>) -> Poll<()> {
    // SAFETY: the loop calls this on its own thread with the task referenced by its run queue.
    let stage = unsafe { stage::<F, V>(task) };
    let Stage::Running(future) = stage else {
        return Poll::Ready(());
    };
    // SAFETY: the future lives in the heap cell and is only ever dropped in place, never moved.
    let future = unsafe { Pin::new_unchecked(future) };
    match future.poll(cx) {
        Poll::Ready(output) => {
            *stage = Stage::Finished(output);
            Poll::Ready(())
        }
        Poll::Pending => Poll::Pending,
    }
}

unsafe fn discard<F: Future, V>(task: TaskPtr) {
    // SAFETY: called by the loop on its thread, outside any poll of this task.
    let stage = unsafe { stage::<F, V>(task) };
    if let Stage::Running(_) | Stage::Finished(_) = stage {
        *stage = Stage::Dropped;
    }
}

unsafe fn take_output<F: Future, V>(task: TaskPtr, dst: *mut ()) {
    // SAFETY: called on the loop thread by a handle that holds a reference.
    let stage = unsafe { stage::<F, V>(task) };
    let out = match core::mem::replace(stage, Stage::Retrieved) {
        Stage::Finished(output) => Some(output),
        Stage::Running(future) => {
            // Not finished: leave it alone.
            *stage = Stage::Running(future);
            return;
        }
        Stage::Dropped | Stage::Retrieved => None,
    };
    // SAFETY: the caller passes a `*mut Option<F::Output>`; the handle type fixes `F::Output`.
    unsafe { *(dst as *mut Option<F::Output>) = out };
}

unsafe fn output<F: Future, V>(task: TaskPtr) -> *const () {
    // SAFETY: called on the loop thread by a handle that holds a reference.
    match unsafe { stage::<F, V>(task) } {
        Stage::Finished(output) => output as *const F::Output as *const (),
        _ => core::ptr::null(),
    }
}

unsafe fn outcome<F: Future, V: Verdict<F::Output>>(task: TaskPtr) -> Outcome {
    // SAFETY: called on the loop thread, outside any poll of this task.
    let stage = unsafe { stage::<F, V>(task) };
    match stage {
        Stage::Running(_) => Outcome::Unfinished,
        Stage::Dropped => Outcome::Cancelled,
        Stage::Retrieved => Outcome::Retrieved,
        Stage::Finished(output) if V::is_cancelled(output) => Outcome::Cancelled,
        Stage::Finished(output) if V::failure(output).is_some() => Outcome::Failed,
        Stage::Finished(_) => Outcome::Succeeded,
    }
}

unsafe fn with_failure<F: Future, V: Verdict<F::Output>>(task: TaskPtr, f: FailureSink<'_>) {
    // SAFETY: called on the loop thread, outside any poll of this task.
    let stage = unsafe { stage::<F, V>(task) };
    if let Stage::Finished(output) = stage {
        if let Some(failure) = V::failure(output) {
            f(failure);
        }
    }
}

unsafe fn dealloc<F: Future, V>(task: TaskPtr) {
    // SAFETY: the last reference is gone and the allocation came from `allocate::<F, V>`.
    drop(unsafe { Box::from_raw(task.as_raw() as *mut TaskCell<F, V>) });
}
