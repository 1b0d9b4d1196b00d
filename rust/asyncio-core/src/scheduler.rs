//! The scheduler: one loop, one thread, tasks polled in rounds.
//!
//! A round (see [`Scheduler::run_until`]):
//! 1. collect what became ready since the last round: tasks whose timers expired (in deadline
//!    order, ties first-in first-out), then tasks woken by anything else (in wake order);
//! 2. if nothing is ready, park in the platform until a waker signals or the next deadline;
//! 3. otherwise poll each task that was ready at the start of the round, once. Tasks woken
//!    during the round run in the next one, so no task can starve the others.
//!
//! Tasks marked urgent ([`TaskRef::set_urgent`]) are the one exception: before each poll the
//! loop looks at its urgent lane, and a task woken there runs next, ahead of the rest of the
//! round, unless it has already run in this round (then it waits for the next one, at its
//! front). An interrupt's task so waits for at most the poll in progress, and an urgent task
//! that keeps waking itself still runs only once per round.
//!
//! This is MicroPython's order: its single heap keyed by wake time puts expired timers before
//! tasks queued later, and a task re-queued with `sleep(0)` behind every task already ready.
//!
//! The loop returns as soon as its target task (the main task, or `run_forever`'s stop marker)
//! finishes; the rest of the round stays queued for the next run, as in MicroPython.
//!
//! Everything here runs on the loop's thread. Other threads and interrupt handlers only reach
//! the loop through its [`LoopEntry`]: wakers push onto its wake queue, other threads queue
//! remote calls there.

extern crate alloc;

use alloc::boxed::Box;
use core::cell::{Cell, RefCell};
use core::future::Future;
use core::ptr::NonNull;
use core::task::Context;
use portable_atomic::{AtomicUsize, Ordering};

use crate::diagnostics::Guards;
use crate::error::Error;
use crate::exception::{ExceptionContext, ExceptionHandler};
use crate::loop_storage::LoopStorage;
use crate::platform::{Platform, PlatformNotify};
use crate::raw::header::TaskPtr;
use crate::raw::lifecycle::{BeginPoll, CancelRequest, EndPoll};
use crate::raw::run_queue::RunQueue;
use crate::raw::task_cell::{self, Heap, Home, Outcome, Verdict};
use crate::raw::task_list::TaskList;
use crate::raw::timer_heap::TimerHeap;
use crate::raw::waker;
use crate::registry::LoopEntry;
use crate::stats::{Counters, LoopStats};
use crate::time::Instant;
use crate::waiting::Waiting;
use crate::TaskRef;

/// How many loops are polling a task that may have a cancellation to take.
static CANCEL_HINTS: AtomicUsize = AtomicUsize::new(0);

/// The cheap first answer to "was the running task cancelled?", which every loop primitive asks
/// at every poll ([`context::take_cancel`](crate::context::take_cancel)): zero, the common case,
/// means no loop's current task can be, so nobody needs to look up their loop and task. A loop
/// adds itself while it polls a task with a cancellation pending or already seen; another
/// loop's presence only sends this one's primitives down the checked path, never wrong.
pub(crate) struct CancelHints;

impl CancelHints {
    pub(crate) fn any() -> bool {
        CANCEL_HINTS.load(Ordering::Relaxed) != 0
    }
}

/// One event loop's state. Lives for the rest of the program (leaked), so tasks and wakers can
/// refer to it with plain `'static` references.
pub(crate) struct Scheduler {
    /// What other contexts reach: the wake queue, the loop's thread and whether it runs.
    pub(crate) entry: &'static LoopEntry,
    platform: &'static dyn Platform,
    run_queue: RefCell<RunQueue>,
    pub(crate) timers: TimerHeap,
    tasks: TaskList,
    /// The task being polled right now.
    current: Cell<Option<TaskPtr>>,
    /// Whether this loop counts in [`CancelHints`] now.
    cancel_hint: Cell<bool>,
    /// `run_forever`'s stop marker while it runs: a task that does nothing, queued by `stop()`.
    pub(crate) stopper: Cell<Option<TaskPtr>>,
    /// `stop()` was called while the loop was not running: the next `run_forever` stops once
    /// the tasks ready when it starts have run.
    pub(crate) stop_requested: Cell<bool>,
    pub(crate) exception_handler: RefCell<Option<ExceptionHandler>>,
    counters: Counters,
    /// The wake queue's `notifies` at the end of the last park and of the one before (see
    /// [`signalled_since_last_park`](Self::signalled_since_last_park)).
    notifies_after_park: Cell<u32>,
    notifies_before_park: Cell<u32>,
    pub(crate) guards: Guards,
}

impl Scheduler {
    /// Makes a loop for the calling thread on `platform` (its thread's default loop if
    /// `is_default`) that lives for the rest of the program, and lists it among the loops.
    pub(crate) fn leak(platform: &'static dyn Platform, is_default: bool) -> &'static Scheduler {
        let storage = Box::leak(Box::new(LoopStorage::new()));
        Scheduler::place(storage, platform, is_default).expect("new storage is empty")
    }

    /// Like [`leak`](Self::leak), in `storage`; `None` if the storage already holds a loop.
    pub(crate) fn place(
        storage: &'static LoopStorage,
        platform: &'static dyn Platform,
        is_default: bool,
    ) -> Option<&'static Scheduler> {
        // The notifier's cell is the storage's claim: the other two are filled only after it.
        let notifier = storage.notifier.try_init(PlatformNotify(platform))?;
        let thread = crate::platform::thread_id();
        let entry = storage
            .entry
            .init(LoopEntry::new(notifier, thread, is_default));
        let scheduler = storage.scheduler.init(Scheduler {
            entry,
            platform,
            run_queue: RefCell::new(RunQueue::new()),
            timers: TimerHeap::new(),
            tasks: TaskList::new(),
            current: Cell::new(None),
            cancel_hint: Cell::new(false),
            stopper: Cell::new(None),
            stop_requested: Cell::new(false),
            exception_handler: RefCell::new(None),
            counters: Counters::default(),
            notifies_after_park: Cell::new(0),
            notifies_before_park: Cell::new(0),
            guards: Guards::new(platform),
        });
        entry.publish(scheduler);
        Some(scheduler)
    }

    pub(crate) fn platform(&self) -> &'static dyn Platform {
        self.platform
    }

    pub(crate) fn now(&self) -> Instant {
        self.platform.now()
    }

    pub(crate) fn is_running(&self) -> bool {
        self.entry.running.load(Ordering::Relaxed)
    }

    pub(crate) fn set_running(&self, running: bool) {
        self.entry.running.store(running, Ordering::Relaxed);
        if !running {
            self.current.set(None);
            self.set_cancel_hint(false);
        }
    }

    /// Counts this loop in [`CancelHints`] or takes it out.
    fn set_cancel_hint(&self, on: bool) {
        if self.cancel_hint.replace(on) != on {
            if on {
                CANCEL_HINTS.fetch_add(1, Ordering::Relaxed);
            } else {
                CANCEL_HINTS.fetch_sub(1, Ordering::Relaxed);
            }
        }
    }

    /// The task being polled, if any.
    pub(crate) fn current_task(&self) -> Option<TaskPtr> {
        self.current.get()
    }

    /// Creates a task for `future` on the heap, queued to run unless `queued` is false, and
    /// returns it with one reference for the caller. An exhausted heap ends in the global
    /// allocator's failure handler, as a `Box` would ([`try_spawn`](Self::try_spawn) does not).
    pub(crate) fn spawn<F, V>(&'static self, future: F, queued: bool) -> TaskPtr
    where
        F: Future + 'static,
        V: Verdict<F::Output> + 'static,
    {
        let layout = task_cell::cell_layout::<F, V>();
        let memory =
            Heap::memory(layout).unwrap_or_else(|| alloc::alloc::handle_alloc_error(layout));
        // SAFETY: heap memory of the cell's layout.
        unsafe { self.spawn_in::<F, V, Heap>(memory, future, queued) }
    }

    /// Like [`spawn`](Self::spawn), with [`Error::NoMemory`] if the heap has no room.
    pub(crate) fn try_spawn<F, V>(&'static self, future: F, queued: bool) -> Result<TaskPtr, Error>
    where
        F: Future + 'static,
        V: Verdict<F::Output> + 'static,
    {
        let memory = Heap::memory(task_cell::cell_layout::<F, V>()).ok_or(Error::NoMemory)?;
        // SAFETY: heap memory of the cell's layout.
        Ok(unsafe { self.spawn_in::<F, V, Heap>(memory, future, queued) })
    }

    /// Creates a task for `future` in `memory`, queued to run unless `queued` is false, and
    /// returns it with one reference for the caller.
    ///
    /// # Safety
    /// `memory` must be valid for the task cell's layout and come from `H`.
    pub(crate) unsafe fn spawn_in<F, V, H>(
        &'static self,
        memory: NonNull<u8>,
        future: F,
        queued: bool,
    ) -> TaskPtr
    where
        F: Future + 'static,
        V: Verdict<F::Output> + 'static,
        H: Home,
    {
        // References: the loop's (while unfinished) and the caller's.
        // SAFETY: forwarded from the caller.
        let task = unsafe {
            task_cell::build::<F, V, H>(memory, future, &self.entry.wake_queue, 2, queued)
        };
        self.tasks.insert(task);
        task.local().info.set_born(self.now().ticks() as u32);
        Counters::bump(&self.counters.tasks_created);
        if queued {
            self.entry.wake_queue.schedule(task);
        }
        task
    }

    /// Runs rounds until `target` finishes.
    pub(crate) fn run_until(&'static self, target: TaskPtr) {
        let _running = crate::context::Running::enter(self);
        self.guards.restart(self.platform);
        let mut just_parked = false;
        while !target.local().lifecycle.is_complete() {
            let served_calls = self.collect_ready();
            let mut round = self.run_queue.borrow_mut().take();
            if round.is_empty() {
                if just_parked && !served_calls && !self.signalled_since_last_park() {
                    // Woken, yet nothing to do: a wake-up that cost the loop for nothing.
                    Counters::bump(&self.counters.idle_wakeups);
                }
                just_parked = self.park();
                continue;
            }
            just_parked = false;
            Counters::bump(&self.counters.rounds);
            let this_round = self.counters.rounds.get() as u8;
            let wake_queue = &self.entry.wake_queue;
            loop {
                // One load per poll; the rest only when an urgent task was woken. One place
                // polls, so the poll stays inlined here.
                if wake_queue.has_urgent() {
                    self.move_urgent_ahead(&mut round, this_round);
                }
                let Some(task) = round.pop_front() else { break };
                self.poll_task(task, this_round);
                if target.local().lifecycle.is_complete() {
                    break;
                }
            }
            // Whatever the target's finish left of the round runs first next time.
            let mut run_queue = self.run_queue.borrow_mut();
            round.append(run_queue.take());
            *run_queue = round;
        }
    }

    /// Moves the urgent tasks woken since the last poll to the front of `round`, oldest
    /// first, except those that have run in this round already: they are queued for the next
    /// round (at its front, see `collect_ready`).
    fn move_urgent_ahead(&self, round: &mut RunQueue, this_round: u8) {
        let mut woken = self.entry.wake_queue.take_urgent();
        let mut ahead = RunQueue::new();
        while let Some(task) = woken.pop_front() {
            if task.local().ran_round.get() == this_round {
                self.run_queue.borrow_mut().push_back(task);
            } else {
                Counters::bump(&self.counters.urgent_runs);
                ahead.push_back(task);
            }
        }
        ahead.append(round.take());
        *round = ahead;
    }

    /// Makes the calls other threads asked for, then moves onto the run queue, in this order:
    /// the urgent tasks, the tasks whose timers expired, the tasks woken since the last round,
    /// and the tasks woken by I/O readiness (MicroPython polls I/O as it looks for its next
    /// task, so those land behind everything already ready). Whether any call was made.
    fn collect_ready(&'static self) -> bool {
        let wake_queue = &self.entry.wake_queue;
        let mut served_calls = wake_queue
            .take_remote(|call| crate::loop_handle::serve(call, crate::Loop::from_core(self)));
        let urgent = wake_queue.take_urgent();
        let woken = wake_queue.take_all();
        self.platform.poll_io();
        let io = wake_queue.take_io();
        let review = self.guards.next_review();
        if self.timers.len() > 0 || review.is_some() {
            let now = self.now();
            while let Some(waker) = self.timers.pop_expired(now) {
                Counters::bump(&self.counters.timers_fired);
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
            if review.is_some_and(|at| at <= now) {
                // The grace guard's look at the cancelled tasks: work, not an idle wake-up.
                self.guards.review(now, |visit| self.for_each_task(visit));
                served_calls = true;
            }
        }
        let expired = wake_queue.take_all();
        let mut run_queue = self.run_queue.borrow_mut();
        // Urgent tasks woken while the loop was parked (or deferred by the last round) lead.
        if !urgent.is_empty() {
            let mut round = urgent;
            round.append(run_queue.take());
            *run_queue = round;
        }
        run_queue.append(expired);
        run_queue.append(woken);
        run_queue.append(io);
        served_calls
    }

    /// Whether one of this loop's wakers signalled it between the end of the park before the
    /// last one and the end of the last (`notifies` moved on): a park that returned for nothing
    /// then ended on a signal that raced the earlier park (the waker saw the loop about to
    /// block, the loop took the task without blocking), not on a foreign or spurious wake-up.
    fn signalled_since_last_park(&self) -> bool {
        self.entry.wake_queue.notifies() != self.notifies_before_park.get()
    }

    /// Blocks until a waker signals or the next timer (or the grace guard's review) is due;
    /// whether it did block (a wake that arrived first calls it off).
    fn park(&self) -> bool {
        let deadline = match (self.timers.next_deadline(), self.guards.next_review()) {
            (Some(timer), Some(review)) => Some(timer.min(review)),
            (timer, review) => timer.or(review),
        };
        let wake_queue = &self.entry.wake_queue;
        let parked = wake_queue.park_announced();
        if parked {
            Counters::bump(&self.counters.parks);
            // What the previous park ended on; see `signalled_since_last_park`.
            self.notifies_before_park
                .set(self.notifies_after_park.get());
            self.platform.park(deadline);
            self.notifies_after_park.set(wake_queue.notifies());
            // Waiting is nobody's poll. (Collecting a round without parking is cheap enough to
            // count toward the next poll, which saves a clock read per round.)
            self.guards.restart(self.platform);
        }
        wake_queue.unpark();
        parked
    }

    /// Polls one task taken off the run queue, in round `this_round`.
    fn poll_task(&'static self, task: TaskPtr, this_round: u8) {
        let local = task.local();
        if local.lifecycle.is_complete() {
            // A wake after the end: harmless, except that it may carry a pending report. Or a
            // task a waker released for the loop to free (finished: an unfinished task holds
            // the loop's reference). Only the queue may be keeping the task, so it is
            // unscheduled after the report.
            if local.lifecycle.take_report() {
                self.report_unretrieved(task);
                self.guards.restart(self.platform);
            }
            if task.header().state.is_released() || task.unschedule() {
                // SAFETY: no references are left and this is the loop thread.
                unsafe { task.dealloc() };
            }
            return;
        }
        // An unfinished task holds the loop's reference, so this cannot be the last.
        task.unschedule();
        let may_be_cancelled = match local.lifecycle.begin_poll() {
            BeginPoll::CancelledBeforeStart => {
                self.finish(task);
                self.guards.restart(self.platform);
                return;
            }
            BeginPoll::Run { may_be_cancelled } => may_be_cancelled,
        };
        local.info.set_waiting(Waiting::Unknown);
        local.ran_round.set(this_round);
        self.current.set(Some(task));
        if may_be_cancelled {
            self.set_cancel_hint(true);
        }
        let waker = waker::borrowed(task);
        let mut cx = Context::from_waker(&waker);
        // SAFETY: the task is live (the loop's reference) and polled on its loop thread.
        let poll = unsafe { (task.header().vtable.poll)(task, &mut cx) };
        self.guards.poll_ended(self.platform, task);
        self.current.set(None);
        if self.cancel_hint.get() {
            self.set_cancel_hint(false);
        }
        local.info.count_poll();
        Counters::bump(&self.counters.polls);
        if local.lifecycle.end_poll(poll.is_ready()) == EndPoll::Finish {
            // The last use: finishing drops the loop's reference.
            self.finish(task);
            self.guards.restart(self.platform);
        }
    }

    /// Ends a task: settles its outcome, wakes its awaiters and drops the loop's reference.
    ///
    /// A cancel request still pending at the end wins over the output (as in CPython), so a
    /// task cancelled while it was finishing ends cancelled.
    fn finish(&self, task: TaskPtr) {
        let local = task.local();
        let vtable = task.header().vtable;
        let finish = local.lifecycle.finish();
        if finish.discard_output {
            // SAFETY: loop thread, outside any poll of this task.
            unsafe { (vtable.discard)(task) };
        }
        if finish.was_watched {
            self.guards.unwatch();
        }
        local.awaiting.set(None);
        self.tasks.remove(task);
        // SAFETY: the task is live; the outcome is only inspected here.
        let outcome = unsafe { (vtable.outcome)(task) };
        // Someone will receive a failure: an awaiter that takes the result, or run()'s caller.
        let received = local.awaiters.any_takes_result() || local.lifecycle.is_main();
        match outcome {
            Outcome::Cancelled => local.lifecycle.mark_cancelled(),
            Outcome::Succeeded if finish.had_seen_cancel => self.guards.swallowed(task),
            Outcome::Failed => {
                local.lifecycle.mark_failed();
                // Nobody will receive it: report it one round later, unless someone takes it in
                // between (MicroPython's grace period).
                if !received {
                    local.lifecycle.mark_report_pending();
                    task.wake_by_ref();
                }
            }
            _ => {}
        }
        local.awaiters.notify_all();
        // SAFETY: loop thread; callers that use the task afterwards hold another reference.
        unsafe { task.release_local() };
    }

    fn report_unretrieved(&'static self, task: TaskPtr) {
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
        if !core::ptr::eq(task.header().wake_queue, &self.entry.wake_queue) {
            return false;
        }
        if self.current.get() == Some(task) {
            task.local().lifecycle.request_abort();
        } else {
            self.discard(task);
        }
        true
    }

    /// Whether `task` is one of this loop's.
    pub(crate) fn owns(&self, task: TaskPtr) -> bool {
        core::ptr::eq(task.header().wake_queue, &self.entry.wake_queue)
    }

    /// Asks `task`, one of this loop's, to cancel (`TaskRef::cancel`); false if it has finished.
    /// If it is the task being polled (it cancelled itself, or what it awaits), its loop
    /// primitives must look; the grace guard starts watching it.
    pub(crate) fn request_cancel(&self, task: TaskPtr) -> bool {
        let CancelRequest::Requested { newly_watched } = task.local().lifecycle.request_cancel()
        else {
            return false;
        };
        if newly_watched {
            self.guards.watch_cancelled(task, self.now());
        }
        if self.current.get() == Some(task) {
            self.set_cancel_hint(true);
        }
        true
    }

    /// `uncancel()` of one of this loop's tasks: one request withdrawn; after the last, the
    /// grace guard stops watching it. The requests left.
    pub(crate) fn uncancel(&self, task: TaskPtr) -> u16 {
        let uncancel = task.local().lifecycle.uncancel();
        if uncancel.was_watched {
            self.guards.unwatch();
        }
        uncancel.remaining
    }

    /// Ends an unfinished task that is not being polled: its future is dropped, it ends
    /// cancelled (`abort`, `close`).
    fn discard(&self, task: TaskPtr) {
        // Ended at once: nothing for the grace guard to watch.
        let _ = task.local().lifecycle.request_cancel_unwatched();
        self.finish(task);
    }

    /// Delivers a pending cancellation to the running task: true (and the request is consumed)
    /// if the task has been cancelled since it last looked. Every loop primitive asks this first.
    /// Once delivered, the task may await freely (its cleanup) until it is cancelled again.
    pub(crate) fn take_cancel(&self) -> bool {
        let Some(task) = self.current.get() else {
            return false;
        };
        task.local().lifecycle.take_cancel()
    }

    /// Drops every unfinished task's future (their `Drop` runs; they end cancelled without
    /// being told) and every armed timer. Only when the loop is not running.
    pub(crate) fn discard_all(&self) {
        while let Some(task) = self.tasks.head() {
            self.discard(task);
        }
        let mut queued = self.run_queue.borrow_mut().take();
        queued.append(self.entry.wake_queue.take_urgent());
        queued.append(self.entry.wake_queue.take_all());
        queued.append(self.entry.wake_queue.take_io());
        while let Some(task) = queued.pop_front() {
            if task.header().state.is_released() || task.unschedule() {
                // SAFETY: no references are left; loop thread.
                unsafe { task.dealloc() };
            }
        }
        self.timers.clear();
        self.stop_requested.set(false);
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
            notifies: self.entry.wake_queue.notifies(),
            idle_wakeups: c.idle_wakeups.get(),
            timers_fired: c.timers_fired.get(),
            urgent_runs: c.urgent_runs.get(),
            timers_armed: self.timers.len(),
            slow_polls: self.guards.slow_polls.get(),
            overdue_cancels: self.guards.overdue_cancels.get(),
            swallowed_cancels: self.guards.swallowed_cancels.get(),
        }
    }
}
