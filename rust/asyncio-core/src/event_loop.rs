//! The event loop's public face: [`Loop`], [`run`], [`get_event_loop`], [`new_event_loop`].
//!
//! As in MicroPython, a thread has one loop whose state outlives each run: tasks left over when
//! `run()` returns resume at the next run, and [`new_event_loop`] is how to start afresh.

use core::future::{Future, IntoFuture};
use core::marker::PhantomData;

extern crate alloc;

use crate::context;
use crate::diagnostics::Diagnostics;
use crate::error::{Error, TaskOutput};
use crate::exception::{ExceptionContext, ExceptionHandler};
use crate::loop_handle::LoopHandle;
use crate::loop_storage::LoopStorage;
use crate::platform::Platform;
use crate::raw::header::TaskPtr;
use crate::raw::task_cell::{AsIs, ByTaskOutput};
use crate::scheduler::Scheduler;
use crate::stats::LoopStats;
use crate::task::{Task, TaskRef};
use crate::task_dump::TaskDump;
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
    core: &'static Scheduler,
    _not_send: PhantomData<*const ()>,
}

impl Loop {
    pub(crate) fn from_core(core: &'static Scheduler) -> Self {
        Loop {
            core,
            _not_send: PhantomData,
        }
    }

    /// A new loop on `platform`, bound to the calling thread. Loops are never freed: create one
    /// per thread, or reuse one with [`close`](Self::close).
    ///
    /// ```
    /// use asyncio_core::{host, Loop};
    ///
    /// let lp = Loop::with_platform(host::thread_platform());
    /// assert_eq!(lp.run_until_complete(async { 5 }).unwrap(), 5);
    /// ```
    pub fn with_platform(platform: &'static dyn Platform) -> Self {
        Loop::from_core(Scheduler::leak(platform, false))
    }

    /// Like [`with_platform`](Self::with_platform), in `storage` rather than on the heap (see
    /// [`LoopStorage`]).
    ///
    /// # Errors
    /// [`Error::PoolFull`] if `storage` already holds a loop.
    ///
    /// ```
    /// use asyncio_core::{host, Loop, LoopStorage};
    ///
    /// static WORKER_LOOP: LoopStorage = LoopStorage::new();
    ///
    /// std::thread::spawn(|| {
    ///     let lp = Loop::with_platform_in(host::thread_platform(), &WORKER_LOOP).unwrap();
    ///     lp.run_until_complete(async { asyncio_core::sleep_ms(1).await })
    /// })
    /// .join()
    /// .unwrap()
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn with_platform_in(
        platform: &'static dyn Platform,
        storage: &'static LoopStorage,
    ) -> Result<Self, Error> {
        let core = Scheduler::place(storage, platform, false).ok_or(Error::PoolFull)?;
        Ok(Loop::from_core(core))
    }

    /// The loop's platform. An adapter written for one platform finds its own through the
    /// running loop this way: on Zephyr the platform is the loop's reactor, which the kernel
    /// objects and sockets its tasks wait on join.
    pub fn platform(&self) -> &'static dyn Platform {
        self.core.platform()
    }

    /// A handle to this loop for other threads ([`LoopHandle`]).
    pub fn handle(&self) -> LoopHandle {
        LoopHandle::new(self.core.entry)
    }

    /// Schedules `future` as a task on this loop (see [`create_task`](crate::create_task)).
    ///
    /// ```
    /// use asyncio_core::{get_event_loop, sleep_ms};
    ///
    /// let lp = get_event_loop();
    /// let t = lp.create_task(sleep_ms(10)); // runs once the loop does
    /// let r = t.to_ref();
    /// lp.run_until_complete(t).unwrap().unwrap();
    /// assert!(r.done());
    /// ```
    pub fn create_task<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: TaskOutput,
    {
        Task::adopt(self.core.spawn::<F, ByTaskOutput>(future, true))
    }

    /// Schedules `future` as a task on this loop, or returns [`Error::NoMemory`] if the heap
    /// has no room for it (see [`try_create_task`](crate::try_create_task)).
    ///
    /// # Errors
    /// [`Error::NoMemory`]; `future` is dropped.
    ///
    /// ```
    /// use asyncio_core::{get_event_loop, Error};
    ///
    /// let lp = get_event_loop();
    /// let t = lp.try_create_task(async { Ok::<_, Error>("spawned") }).unwrap();
    /// assert_eq!(lp.run_until_complete(t).unwrap(), Ok("spawned"));
    /// ```
    pub fn try_create_task<F>(&self, future: F) -> Result<Task<F::Output>, Error>
    where
        F: Future + 'static,
        F::Output: TaskOutput,
    {
        let task = self.core.try_spawn::<F, ByTaskOutput>(future, true)?;
        Ok(Task::adopt(task))
    }

    /// Runs the loop until `future` completes, and returns its output.
    ///
    /// `future` becomes the main task; passing a [`Task`] runs until that task ends. Returns as
    /// soon as the main task ends: other tasks stay queued and resume at the next run.
    ///
    /// # Errors
    /// [`Error::NestedRun`] if a loop is already running on this thread, and
    /// [`Error::Cancelled`] if the main task was cancelled.
    ///
    /// ```
    /// use asyncio_core::{get_event_loop, sleep_ms, Error};
    ///
    /// let out = get_event_loop().run_until_complete(async {
    ///     sleep_ms(5).await?;
    ///     Ok::<_, Error>("ready")
    /// });
    /// assert_eq!(out.unwrap(), Ok("ready"));
    /// ```
    pub fn run_until_complete<F>(&self, future: F) -> Result<F::Output, Error>
    where
        F: IntoFuture,
        F::IntoFuture: 'static,
    {
        if context::running_loop().is_some() {
            return Err(Error::NestedRun);
        }
        let main = self.core.spawn::<_, AsIs>(future.into_future(), true);
        // SAFETY: a main task just made for a future of output `F::Output`.
        unsafe { self.run_main(main) }
    }

    /// Runs the loop until `main`, a task spawned as `run()`'s main task, ends; its output.
    ///
    /// # Safety
    /// `main` must be a new task of this loop, unawaited, whose future's output is `T`, with
    /// one reference for the caller (which this takes).
    pub(crate) unsafe fn run_main<T>(&self, main: TaskPtr) -> Result<T, Error> {
        main.local().lifecycle.mark_main();
        self.core.run_until(main);
        let mut output: Option<T> = None;
        // SAFETY: the main task's future returns `T` (the caller's word); loop thread.
        unsafe { (main.header().vtable.take_output)(main, &mut output as *mut _ as *mut ()) };
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
    ///
    /// ```
    /// use asyncio_core::{get_event_loop, sleep_ms, Error};
    ///
    /// let lp = get_event_loop();
    /// let _stopper = lp.create_task(async {
    ///     sleep_ms(20).await?;
    ///     asyncio_core::get_event_loop().stop();
    ///     Ok::<_, Error>(())
    /// });
    /// lp.run_forever().unwrap();
    /// ```
    pub fn run_forever(&self) -> Result<(), Error> {
        if context::running_loop().is_some() {
            return Err(Error::NestedRun);
        }
        let stopper = self.core.spawn::<_, AsIs>(async {}, false);
        self.core.stopper.set(Some(stopper));
        if self.core.stop_requested.take() {
            // stop() came before: run what is ready now, then return (queued behind it).
            stopper.wake_by_ref();
        }
        self.core.run_until(stopper);
        self.core.stopper.set(None);
        // SAFETY: the loop's reference to its stop marker, on the loop thread.
        unsafe { stopper.release_local() };
        Ok(())
    }

    /// Stops [`run_forever`](Self::run_forever) once the tasks already ready have run.
    ///
    /// A second call before it takes effect does nothing. Called while the loop is not running,
    /// the next `run_forever` runs the tasks ready when it starts (those created after the
    /// `stop()` included) and returns (CPython's behaviour; MicroPython ignores such a call).
    /// Called while `run_until_complete` runs, it has no effect and leaves nothing behind
    /// (MicroPython's behaviour; CPython raises from `run_until_complete`).
    ///
    /// ```
    /// use asyncio_core::{get_event_loop, yield_now};
    ///
    /// let lp = get_event_loop();
    /// let _stopper = lp.create_task(async { asyncio_core::get_event_loop().stop() });
    /// lp.run_forever().unwrap(); // returns after the stopper ran
    /// assert!(!lp.is_running());
    /// ```
    pub fn stop(&self) {
        match self.core.stopper.get() {
            // run_forever runs: its marker joins the ready tasks.
            Some(stopper) => stopper.wake_by_ref(),
            None if !self.is_running() => self.core.stop_requested.set(true),
            // run_until_complete runs: not a run_forever to stop.
            None => {}
        }
    }

    /// Drops every pending task (their futures' `Drop` runs; they are not cancelled first) and
    /// every timer. The loop stays usable.
    ///
    /// # Errors
    /// [`Error::LoopRunning`] if called while the loop runs.
    ///
    /// ```
    /// use asyncio_core::{get_event_loop, sleep_ms};
    ///
    /// let lp = get_event_loop();
    /// let t = lp.create_task(sleep_ms(1000)).to_ref();
    /// lp.close().unwrap(); // drops the pending task
    /// assert!(t.done());
    /// ```
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
    ///
    /// ```
    /// use asyncio_core::get_event_loop;
    /// use std::rc::Rc;
    ///
    /// let lp = get_event_loop();
    /// lp.set_exception_handler(Some(Rc::new(|_, ctx| {
    ///     eprintln!("{}: {:?}", ctx.task.name(), ctx.failure)
    /// })));
    /// lp.set_exception_handler(None); // back to the default
    /// ```
    pub fn set_exception_handler(&self, handler: Option<ExceptionHandler>) {
        *self.core.exception_handler.borrow_mut() = handler;
    }

    /// The handler set with [`set_exception_handler`](Self::set_exception_handler), if any.
    ///
    /// ```
    /// use asyncio_core::get_event_loop;
    ///
    /// assert!(get_event_loop().get_exception_handler().is_none()); // the default is in use
    /// ```
    pub fn get_exception_handler(&self) -> Option<ExceptionHandler> {
        self.core.exception_handler.borrow().clone()
    }

    /// Calls the default handler, whatever handler is set.
    ///
    /// ```
    /// use asyncio_core::get_event_loop;
    /// use std::rc::Rc;
    ///
    /// // A handler that adds to the default's log line.
    /// get_event_loop().set_exception_handler(Some(Rc::new(|lp, ctx| {
    ///     lp.default_exception_handler(ctx);
    ///     eprintln!("(reported by the application)");
    /// })));
    /// # get_event_loop().set_exception_handler(None);
    /// ```
    pub fn default_exception_handler(&self, context: &ExceptionContext<'_>) {
        crate::exception::default_exception_handler(*self, context);
    }

    /// Calls the current handler (the default one if none is set).
    ///
    /// ```
    /// use asyncio_core::{create_task, current_task, get_event_loop, run, Error, ExceptionContext};
    ///
    /// run(async {
    ///     let me = current_task().unwrap();
    ///     // Report a failure the application caught, through whatever handler is set.
    ///     get_event_loop().call_exception_handler(&ExceptionContext {
    ///         message: "sensor read failed",
    ///         failure: &Error::Timeout,
    ///         task: me,
    ///     });
    /// })
    /// .unwrap();
    /// ```
    pub fn call_exception_handler(&self, context: &ExceptionContext<'_>) {
        self.core.call_exception_handler(context);
    }

    /// The run-time guards' settings (see [`Diagnostics`]).
    pub fn diagnostics(&self) -> Diagnostics {
        self.core.guards.settings()
    }

    /// Changes the run-time guards' settings.
    ///
    /// ```
    /// use asyncio_core::{get_event_loop, run, Diagnostics};
    ///
    /// let lp = get_event_loop();
    /// lp.set_diagnostics(Diagnostics { slow_poll_ms: 5, ..Diagnostics::default() });
    /// run(async {
    ///     asyncio_core::host::thread_platform().advance(8); // an 8 ms synchronous call
    /// })
    /// .unwrap();
    /// assert_eq!(lp.stats().slow_polls, 1);
    /// # lp.set_diagnostics(Diagnostics::default());
    /// ```
    pub fn set_diagnostics(&self, settings: Diagnostics) {
        self.core.guards.configure(self.core.platform(), settings);
    }

    /// A listing of every unfinished task (name, state, age, polls) under the loop's counters,
    /// for a log, a console command or Zephyr's shell (`asyncio tasks`).
    pub fn dump(&self) -> TaskDump {
        TaskDump::new(self)
    }

    /// Every unfinished task, for listings and diagnostics.
    ///
    /// ```
    /// use asyncio_core::{create_task, get_event_loop, run, sleep_ms};
    ///
    /// run(async {
    ///     let t = create_task(sleep_ms(100));
    ///     t.set_name("sleeper");
    ///     let names: Vec<_> = get_event_loop().tasks().map(|t| t.name()).collect();
    ///     assert!(names.contains(&"sleeper"));
    ///     t.cancel();
    /// })
    /// .unwrap();
    /// ```
    pub fn tasks(&self) -> impl Iterator<Item = TaskRef> {
        let mut tasks = alloc::vec::Vec::with_capacity(self.core.stats().tasks_alive as usize);
        self.core
            .for_each_task(|t| tasks.push(TaskRef::from_ptr(t)));
        tasks.into_iter()
    }
}

/// The loop running on this thread, if any (Python's `asyncio.get_running_loop()`, which
/// raises where this returns `None`).
///
/// ```
/// use asyncio_core::{get_running_loop, run};
///
/// assert!(get_running_loop().is_none());
/// run(async { assert!(get_running_loop().unwrap().is_running()) }).unwrap();
/// ```
pub fn get_running_loop() -> Option<Loop> {
    context::running_loop().map(Loop::from_core)
}

/// The running loop, else the calling thread's loop (created on first use).
///
/// ```
/// use asyncio_core::{get_event_loop, run};
///
/// let lp = get_event_loop();
/// run(async {}).unwrap();
/// assert!(!lp.is_running());
/// assert!(lp.stats().tasks_created >= 1);
/// ```
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
///
/// ```
/// use asyncio_core::{create_task, get_event_loop, new_event_loop, sleep_ms};
///
/// let _left_over = get_event_loop().create_task(sleep_ms(1000));
/// let lp = new_event_loop().unwrap();
/// assert_eq!(lp.stats().tasks_alive, 0);
/// ```
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
