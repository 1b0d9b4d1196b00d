//! The event loop's public face: [`Loop`], [`run`], [`get_event_loop`], [`new_event_loop`].
//!
//! As in MicroPython, a thread has one loop whose state outlives each run: tasks left over when
//! `run()` returns resume at the next run, and [`new_event_loop`] is how to start afresh.

use core::future::{Future, IntoFuture};
use core::marker::PhantomData;

extern crate alloc;

use crate::context;
use crate::error::{Error, TaskOutput};
use crate::event_loop::LoopCore;
use crate::exception::{ExceptionContext, ExceptionHandler};
use crate::platform::Platform;
use crate::raw::cell::{AsIs, ByTaskOutput};
use crate::raw::header::flags;
use crate::stats::LoopStats;
use crate::task::{Task, TaskRef};
use crate::time::Instant;

/// A handle to an event loop (Python's `asyncio.get_event_loop()`).
///
/// Copyable, not `Send`: a loop belongs to the thread that created it.
///
/// ```
/// use asyncio_core::{get_event_loop, sleep_ms};
///
/// let lp = get_event_loop();
/// let t = lp.create_task(async { sleep_ms(1).await });
/// let out = lp.run_until_complete(t).unwrap();
/// assert_eq!(out, Ok(()));
/// ```
#[derive(Clone, Copy)]
pub struct Loop {
    core: &'static LoopCore,
    _not_send: PhantomData<*const ()>,
}

impl Loop {
    pub(crate) fn from_core(core: &'static LoopCore) -> Self {
        Loop {
            core,
            _not_send: PhantomData,
        }
    }

    /// A new loop on `platform`, bound to the calling thread. Loops are never freed: create one
    /// per thread, or reuse one with [`close`](Self::close).
    pub fn with_platform(platform: &'static dyn Platform) -> Self {
        Loop::from_core(LoopCore::leak(platform))
    }

    /// Schedules `future` as a task on this loop (see [`create_task`](crate::create_task)).
    pub fn create_task<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: TaskOutput,
    {
        Task::adopt(self.core.spawn::<F, ByTaskOutput>(future, true))
    }

    /// Runs the loop until `future` completes, and returns its output.
    ///
    /// `future` becomes the main task; passing a [`Task`] runs until that task ends. Returns as
    /// soon as the main task ends: other tasks stay queued and resume at the next run.
    ///
    /// # Errors
    /// [`Error::NestedRun`] if a loop is already running on this thread, and
    /// [`Error::Cancelled`] if the main task was cancelled.
    pub fn run_until_complete<F>(&self, future: F) -> Result<F::Output, Error>
    where
        F: IntoFuture,
        F::IntoFuture: 'static,
    {
        if context::running_loop().is_some() {
            return Err(Error::NestedRun);
        }
        let main = self.core.spawn::<_, AsIs>(future.into_future(), true);
        main.local().set(flags::MAIN);
        self.core.run_until(main);
        let mut output: Option<F::Output> = None;
        // SAFETY: the main task's future returns `F::Output`; loop thread.
        unsafe { (main.header().vtable.take_output)(main, &mut output as *mut _ as *mut ()) };
        main.local().set(flags::RETRIEVED);
        drop(TaskRef::adopt(main));
        output.ok_or(Error::Cancelled)
    }

    /// Runs the loop until [`stop`](Self::stop) is called.
    ///
    /// With nothing to do, the loop blocks in the platform (one `k_poll` on Zephyr) instead of
    /// polling periodically as MicroPython does.
    ///
    /// # Errors
    /// [`Error::NestedRun`] if a loop is already running on this thread.
    pub fn run_forever(&self) -> Result<(), Error> {
        if context::running_loop().is_some() {
            return Err(Error::NestedRun);
        }
        let stopper = match self.core.stopper.get() {
            Some(stopper) => stopper,
            None => {
                let stopper = self.core.spawn::<_, AsIs>(async {}, false);
                self.core.stopper.set(Some(stopper));
                stopper
            }
        };
        self.core.run_until(stopper);
        self.core.stopper.set(None);
        // SAFETY: the loop's reference to its stop marker, on the loop thread.
        unsafe { stopper.release_local() };
        Ok(())
    }

    /// Stops [`run_forever`](Self::run_forever) once the tasks already ready have run.
    ///
    /// A second call before it takes effect does nothing. Called while the loop is not running,
    /// the next `run_forever` runs the tasks ready at that moment and returns (CPython's
    /// behaviour; MicroPython ignores such a call).
    pub fn stop(&self) {
        match self.core.stopper.get() {
            Some(stopper) => stopper.wake_by_ref(),
            None => {
                let stopper = self.core.spawn::<_, AsIs>(async {}, true);
                self.core.stopper.set(Some(stopper));
            }
        }
    }

    /// Drops every pending task (their futures' `Drop` runs; they are not cancelled first) and
    /// every timer. The loop stays usable.
    ///
    /// # Errors
    /// [`Error::LoopRunning`] if called while the loop runs.
    pub fn close(&self) -> Result<(), Error> {
        if self.is_running() {
            return Err(Error::LoopRunning);
        }
        self.core.discard_all();
        Ok(())
    }

    /// Whether this loop is running on this thread right now.
    pub fn is_running(&self) -> bool {
        self.core.is_running()
    }

    /// The loop's clock.
    pub fn time(&self) -> Instant {
        self.core.now()
    }

    /// The loop's clock in milliseconds (MicroPython's `time.ticks_ms()`, without wrap-around).
    pub fn time_ms(&self) -> u64 {
        crate::time::ticks_to_ms(self.time().ticks(), self.ticks_per_second())
    }

    /// Ticks per second of [`time`](Self::time).
    pub fn ticks_per_second(&self) -> u32 {
        self.core.platform().ticks_per_second()
    }

    /// The loop's counters.
    pub fn stats(&self) -> LoopStats {
        self.core.stats()
    }

    /// Sets (or with `None`, resets) the handler for failures nobody retrieved.
    pub fn set_exception_handler(&self, handler: Option<ExceptionHandler>) {
        *self.core.exception_handler.borrow_mut() = handler;
    }

    /// The handler set with [`set_exception_handler`](Self::set_exception_handler), if any.
    pub fn get_exception_handler(&self) -> Option<ExceptionHandler> {
        self.core.exception_handler.borrow().clone()
    }

    /// Calls the default handler, whatever handler is set.
    pub fn default_exception_handler(&self, context: &ExceptionContext<'_>) {
        crate::exception::default_exception_handler(*self, context);
    }

    /// Calls the current handler (the default one if none is set).
    pub fn call_exception_handler(&self, context: &ExceptionContext<'_>) {
        self.core.call_exception_handler(context);
    }

    /// Every unfinished task, for listings and diagnostics.
    pub fn tasks(&self) -> impl Iterator<Item = TaskRef> {
        let mut tasks = alloc::vec::Vec::with_capacity(self.core.stats().tasks_alive as usize);
        self.core
            .for_each_task(|t| tasks.push(TaskRef::from_ptr(t)));
        tasks.into_iter()
    }
}

/// The running loop, else the calling thread's loop (created on first use).
pub fn get_event_loop() -> Loop {
    Loop::from_core(context::current_loop())
}

/// Milliseconds on the current loop's clock (MicroPython's `time.ticks_ms()`; this one does
/// not wrap around).
///
/// ```
/// use asyncio_core::{run, sleep_ms, ticks_ms};
///
/// let start = ticks_ms();
/// run(sleep_ms(250)).unwrap().unwrap();
/// assert_eq!(ticks_ms() - start, 250);
/// ```
pub fn ticks_ms() -> u64 {
    get_event_loop().time_ms()
}

/// Starts the thread's loop afresh: drops its pending tasks and timers (see [`Loop::close`])
/// and returns it. MicroPython's `new_event_loop()` also resets the loop in place.
///
/// # Errors
/// [`Error::LoopRunning`] if called while the loop runs.
pub fn new_event_loop() -> Result<Loop, Error> {
    let lp = get_event_loop();
    lp.close()?;
    Ok(lp)
}

/// Runs `future` as the main task of the thread's loop and returns its output
/// (Python's `asyncio.run()`).
///
/// # Errors
/// [`Error::NestedRun`] when called from inside a running loop (MicroPython crashes there), and
/// [`Error::Cancelled`] if the main task was cancelled.
///
/// ```
/// use asyncio_core::{run, sleep_ms, Error};
///
/// let answer = run(async {
///     sleep_ms(10).await.unwrap();
///     42
/// });
/// assert_eq!(answer, Ok(42));
///
/// let nested = run(async { run(async {}) });
/// assert_eq!(nested, Ok(Err(Error::NestedRun)));
/// ```
pub fn run<F>(future: F) -> Result<F::Output, Error>
where
    F: IntoFuture,
    F::IntoFuture: 'static,
{
    get_event_loop().run_until_complete(future)
}
