//! The scheduler: one loop, one thread, tasks polled in rounds.
//!
//! A round (see [`LoopCore::run_until`]):
//! 1. collect what became ready since the last round: tasks whose timers expired (in deadline
//!    order, ties first-in first-out), then tasks woken by anything else (in wake order);
//! 2. if nothing is ready, park in the platform until a waker signals or the next deadline;
//! 3. otherwise poll each task that was ready at the start of the round, once. Tasks woken
//!    during the round run in the next one, so no task can starve the others.
//!
//! This is MicroPython's order: its single heap keyed by wake time puts expired timers before
//! tasks queued later, and a task re-queued with `sleep(0)` behind every task already ready.
//!
//! The loop returns as soon as its target task (the main task, or `run_forever`'s stop marker)
//! finishes; the rest of the round stays queued for the next run, as in MicroPython.
//!
//! Everything here runs on the loop's thread. Other threads and interrupt handlers only reach
//! the loop through wakers, which push onto the [`WakeQueue`].

extern crate alloc;

use alloc::boxed::Box;
use core::cell::{Cell, RefCell};
use core::future::Future;
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::Context;

use crate::context;
use crate::diagnostics::Guards;
use crate::exception::{ExceptionContext, ExceptionHandler};
use crate::platform::Platform;
use crate::raw::cell::{self, Outcome, Verdict};
use crate::raw::header::{flags, TaskPtr};
use crate::raw::run_queue::RunQueue;
use crate::raw::task_list::TaskList;
use crate::raw::timer_heap::TimerHeap;
use crate::raw::wake_queue::WakeQueue;
use crate::raw::waker;
use crate::stats::{Counters, LoopStats};
use crate::task::Waiting;
use crate::time::Instant;
use crate::TaskRef;

/// One event loop's state. Lives for the rest of the program (leaked), so tasks and wakers can
/// refer to it with plain `'static` references.
pub(crate) struct LoopCore {
    pub(crate) wake_queue: WakeQueue,
    run_queue: RefCell<RunQueue>,
    pub(crate) timers: TimerHeap,
    tasks: TaskList,
    /// The task being polled right now.
    current: Cell<Option<TaskPtr>>,
    /// False when the task being polled certainly has no cancellation to take: what loop
    /// primitives check first (see [`context::take_cancel`]). An atomic of a loop that is never
    /// freed, so a primitive polled on another thread may read it too.
    may_be_cancelled: AtomicBool,
    /// `run_forever`'s stop marker: a task that does nothing, queued by `stop()`.
    pub(crate) stopper: Cell<Option<TaskPtr>>,
    pub(crate) exception_handler: RefCell<Option<ExceptionHandler>>,
    counters: Counters,
    pub(crate) guards: Guards,
    #[cfg_attr(feature = "std", allow(dead_code))]
    pub(crate) owner_thread: usize,
}

impl LoopCore {
    /// Makes a loop for the calling thread that lives for the rest of the program.
    pub(crate) fn leak(platform: &'static dyn Platform) -> &'static LoopCore {
        Box::leak(Box::new(LoopCore {
            wake_queue: WakeQueue::new(platform),
            run_queue: RefCell::new(RunQueue::new()),
            timers: TimerHeap::new(),
            tasks: TaskList::new(),
            current: Cell::new(None),
            may_be_cancelled: AtomicBool::new(false),
            stopper: Cell::new(None),
            exception_handler: RefCell::new(None),
            counters: Counters::default(),
            guards: Guards::new(platform),
            owner_thread: platform.thread_id(),
        }))
    }

    pub(crate) fn platform(&self) -> &'static dyn Platform {
        self.wake_queue.platform
    }

    pub(crate) fn now(&self) -> Instant {
        self.platform().now()
    }

    pub(crate) fn is_running(&self) -> bool {
        context::running_loop().is_some_and(|core| core::ptr::eq(core, self))
    }

    /// The task being polled, if any.
    pub(crate) fn current_task(&self) -> Option<TaskPtr> {
        self.current.get()
    }

    /// Creates a task for `future`, queued to run unless `queued` is false, and returns it with
    /// one reference for the caller.
    pub(crate) fn spawn<F, V>(&'static self, future: F, queued: bool) -> TaskPtr
    where
        F: Future + 'static,
        V: Verdict<F::Output> + 'static,
    {
        // References: the loop's (while unfinished) and the caller's.
        let task = cell::allocate::<F, V>(future, &self.wake_queue, 2, queued);
        self.tasks.insert(task);
        task.local().born.set(self.now().ticks() as u32);
        Counters::bump(&self.counters.tasks_created);
        if queued {
            self.wake_queue.schedule(task);
        }
        task
    }

    /// Runs rounds until `target` finishes.
    pub(crate) fn run_until(&'static self, target: TaskPtr) {
        let _running = RunningGuard::enter(self);
        self.guards.restart(self.platform());
        while !target.local().has(flags::COMPLETE) {
            self.collect_ready();
            let mut round = self.run_queue.borrow_mut().take();
            if round.is_empty() {
                self.park();
                continue;
            }
            Counters::bump(&self.counters.rounds);
            while let Some(task) = round.pop_front() {
                self.poll_task(task);
                if target.local().has(flags::COMPLETE) {
                    break;
                }
            }
            // Whatever the target's finish left of the round runs first next time.
            let mut run_queue = self.run_queue.borrow_mut();
            round.append(run_queue.take());
            *run_queue = round;
        }
    }

    /// Moves onto the run queue, in this order: the tasks whose timers expired, the tasks woken
    /// since the last round, and the tasks woken by I/O readiness (MicroPython polls I/O as it
    /// looks for its next task, so those land behind everything already ready).
    fn collect_ready(&self) {
        let woken = self.wake_queue.take_all();
        self.platform().poll_io();
        let io = self.wake_queue.take_io();
        if self.timers.len() > 0 {
            let now = self.now();
            while let Some(waker) = self.timers.pop_expired(now) {
                Counters::bump(&self.counters.timers_fired);
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
        }
        let expired = self.wake_queue.take_all();
        let mut run_queue = self.run_queue.borrow_mut();
        run_queue.append(expired);
        run_queue.append(woken);
        run_queue.append(io);
    }

    /// Blocks until a waker signals or the next timer is due.
    fn park(&self) {
        let deadline = self.timers.next_deadline();
        if self.wake_queue.park_announced() {
            Counters::bump(&self.counters.parks);
            self.platform().park(deadline);
            // Waiting is nobody's poll. (Collecting a round without parking is cheap enough to
            // count toward the next poll, which saves a clock read per round.)
            self.guards.restart(self.platform());
        }
        self.wake_queue.unpark();
    }

    /// Polls one task taken off the run queue.
    fn poll_task(&'static self, task: TaskPtr) {
        let local = task.local();
        if local.has(flags::COMPLETE) {
            // A wake after the end: harmless, except that it may carry a pending report. Or a
            // task a waker released for the loop to free (finished: an unfinished task holds
            // the loop's reference). Only the queue may be keeping the task, so it is
            // unscheduled after the report.
            if local.has(flags::REPORT_PENDING) {
                self.report_unretrieved(task);
                self.guards.restart(self.platform());
            }
            if task.header().state.is_released() || task.unschedule() {
                // SAFETY: no references are left and this is the loop thread.
                unsafe { task.dealloc() };
            }
            return;
        }
        // An unfinished task holds the loop's reference, so this cannot be the last.
        task.unschedule();
        if local.has(flags::CANCEL_REQUESTED) && !local.has(flags::STARTED) {
            // Cancelled before it ever ran: like MicroPython, the body never starts.
            self.finish(task);
            self.guards.restart(self.platform());
            return;
        }
        local.set(flags::STARTED);
        local.waiting.set(Waiting::Unknown);
        self.current.set(Some(task));
        let cancel_flags = flags::CANCEL_REQUESTED | flags::CANCEL_SEEN;
        self.may_be_cancelled
            .store(local.has(cancel_flags), Ordering::Relaxed);
        let waker = waker::borrowed(task);
        let mut cx = Context::from_waker(&waker);
        // SAFETY: the task is live (the loop's reference) and polled on its loop thread.
        let poll = unsafe { (task.header().vtable.poll)(task, &mut cx) };
        self.guards.poll_ended(self.platform(), task);
        self.current.set(None);
        local.polls.set(local.polls.get().wrapping_add(1));
        Counters::bump(&self.counters.polls);
        if local.has(flags::ABORT) {
            local.set(flags::CANCEL_REQUESTED);
        }
        if poll.is_ready() || local.has(flags::ABORT) {
            // The last use: finishing drops the loop's reference.
            self.finish(task);
            self.guards.restart(self.platform());
        }
    }

    /// Ends a task: settles its outcome, wakes its awaiters and drops the loop's reference.
    ///
    /// A cancel request still pending at the end wins over the output (as in CPython), so a
    /// task cancelled while it was finishing ends cancelled.
    fn finish(&self, task: TaskPtr) {
        let local = task.local();
        let vtable = task.header().vtable;
        if local.has(flags::CANCEL_REQUESTED) {
            // SAFETY: loop thread, outside any poll of this task.
            unsafe { (vtable.discard)(task) };
            local.clear(flags::CANCEL_REQUESTED);
        }
        local.set(flags::COMPLETE);
        local.awaiting.set(None);
        self.tasks.remove(task);
        // SAFETY: the task is live; the outcome is only inspected here.
        let outcome = unsafe { (vtable.outcome)(task) };
        let awaited = !local.awaiters.is_empty() || local.has(flags::MAIN);
        match outcome {
            Outcome::Cancelled => local.set(flags::CANCELLED),
            // Nobody is waiting for this failure: report it one round later, unless someone
            // takes it in between (MicroPython's grace period).
            Outcome::Failed if !awaited => {
                local.set(flags::REPORT_PENDING);
                task.wake_by_ref();
            }
            _ => {}
        }
        local.awaiters.notify_all();
        // SAFETY: loop thread; callers that use the task afterwards hold another reference.
        unsafe { task.release_local() };
    }

    fn report_unretrieved(&'static self, task: TaskPtr) {
        task.local().clear(flags::REPORT_PENDING);
        let mut report = |failure: &dyn core::fmt::Debug| {
            self.call_exception_handler(&ExceptionContext {
                message: "Task exception wasn't retrieved",
                failure,
                task: TaskRef::from_ptr(task),
            })
        };
        // SAFETY: the task is live (it is scheduled) and finished; loop thread.
        unsafe { (task.header().vtable.with_failure)(task, &mut report) };
    }

    pub(crate) fn call_exception_handler(&'static self, context: &ExceptionContext<'_>) {
        // Cloned out first: the handler may replace itself.
        let handler = self.exception_handler.borrow().clone();
        let lp = crate::Loop::from_core(self);
        match handler {
            Some(handler) => handler(lp, context),
            None => crate::exception::default_exception_handler(lp, context),
        }
    }

    /// Drops `task`'s future now ([`TaskRef::abort`]); a task aborting itself ends when its poll
    /// returns. False if the task belongs to another loop.
    pub(crate) fn abort(&self, task: TaskPtr) -> bool {
        if !core::ptr::eq(task.header().wake_queue, &self.wake_queue) {
            return false;
        }
        if self.current.get() == Some(task) {
            task.local().set(flags::ABORT);
        } else {
            task.local().set(flags::CANCEL_REQUESTED);
            self.finish(task);
        }
        true
    }

    /// Notes that `task` was just asked to cancel: if it is the task being polled (it cancelled
    /// itself, or what it awaits), its loop primitives must look.
    pub(crate) fn cancel_requested(&self, task: TaskPtr) {
        if self.current.get() == Some(task) {
            self.may_be_cancelled.store(true, Ordering::Relaxed);
        }
    }

    /// Whether the task being polled may have a cancellation to take (false: it certainly has
    /// none). Any thread.
    pub(crate) fn may_be_cancelled(&self) -> bool {
        self.may_be_cancelled.load(Ordering::Relaxed)
    }

    /// Delivers a pending cancellation to the running task: true (and the request is consumed)
    /// if the task has been cancelled since it last looked. Every loop primitive asks this first.
    pub(crate) fn take_cancel(&self) -> bool {
        let Some(task) = self.current.get() else {
            return false;
        };
        let local = task.local();
        if local.has(flags::CANCEL_REQUESTED) {
            local.clear(flags::CANCEL_REQUESTED);
            local.set(flags::CANCEL_SEEN);
            true
        } else {
            local.has(flags::CANCEL_SEEN) && self.guards.cancelled_again(task)
        }
    }

    /// Drops every unfinished task's future (their `Drop` runs; they end cancelled without
    /// being told) and every armed timer. Only when the loop is not running.
    pub(crate) fn discard_all(&self) {
        while let Some(task) = self.tasks.head() {
            task.local().set(flags::CANCEL_REQUESTED);
            self.finish(task);
        }
        let mut queued = self.run_queue.borrow_mut().take();
        queued.append(self.wake_queue.take_all());
        queued.append(self.wake_queue.take_io());
        while let Some(task) = queued.pop_front() {
            if task.header().state.is_released() || task.unschedule() {
                // SAFETY: no references are left; loop thread.
                unsafe { task.dealloc() };
            }
        }
        self.timers.clear();
        if let Some(stopper) = self.stopper.take() {
            // SAFETY: the loop's reference to its stop marker, on the loop thread.
            unsafe { stopper.release_local() };
        }
    }

    /// Calls `f` for every unfinished task.
    pub(crate) fn for_each_task(&self, mut f: impl FnMut(TaskPtr)) {
        let mut next = self.tasks.head();
        while let Some(task) = next {
            next = TaskList::next(task);
            f(task);
        }
    }

    pub(crate) fn stats(&self) -> LoopStats {
        let c = &self.counters;
        LoopStats {
            tasks_alive: self.tasks.len(),
            tasks_created: c.tasks_created.get(),
            polls: c.polls.get(),
            rounds: c.rounds.get(),
            parks: c.parks.get(),
            notifies: self.wake_queue.notifies(),
            timers_fired: c.timers_fired.get(),
            timers_armed: self.timers.len(),
            slow_polls: self.guards.slow_polls.get(),
            swallowed_cancels: self.guards.swallowed_cancels.get(),
        }
    }
}

/// Marks a loop as running on this thread for as long as it lives (also across an unwinding
/// panic, on hosts that unwind).
struct RunningGuard {
    outer: Option<&'static LoopCore>,
}

impl RunningGuard {
    fn enter(core: &'static LoopCore) -> Self {
        let outer = context::running_loop();
        context::set_running_loop(Some(core));
        RunningGuard { outer }
    }
}

impl Drop for RunningGuard {
    fn drop(&mut self) {
        if let Some(core) = context::running_loop() {
            core.current.set(None);
        }
        context::set_running_loop(self.outer);
    }
}
