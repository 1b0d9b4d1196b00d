//! Task handles: results, cancellation (asyncio semantics), the exception handler, memory.

mod common;

use std::cell::Cell;
use std::rc::Rc;

use asyncio_core::{
    create_task, current_task, get_event_loop, run, sleep_ms, yield_now, Error, ExceptionContext,
    Loop,
};
use common::Trace;

#[test]
fn awaiting_a_task_yields_its_result_and_done_follows_its_life() {
    let out = run(async {
        let t = create_task(async {
            sleep_ms(10).await?;
            Ok::<_, Error>("value")
        });
        let before = t.done();
        let r = t.to_ref();
        let value = t.await;
        (before, r.done(), r.is_cancelled(), value)
    });
    assert_eq!(out, Ok((false, true, false, Ok("value"))));
}

#[test]
fn a_task_cancelled_before_it_starts_never_runs() {
    let ran = Rc::new(Cell::new(false));
    let out = run({
        let ran = ran.clone();
        async move {
            let t = create_task(async move { ran.set(true) });
            let first = t.cancel();
            let r = t.to_ref();
            (first, t.await, r.is_cancelled())
        }
    });
    assert_eq!(out, Ok((true, Err(Error::Cancelled), true)));
    assert!(!ran.get());
}

#[test]
fn cancel_wakes_a_sleeper_at_once_and_delivers_one_cancelled() {
    let trace = Trace::new();
    let lp = get_event_loop();
    let start = lp.time();
    run({
        let trace = trace.clone();
        async move {
            let t = create_task({
                let trace = trace.clone();
                async move {
                    trace.log("start");
                    match sleep_ms(10_000).await {
                        Ok(()) => trace.log("done"),
                        Err(e) => trace.log(format!("{e:?}")),
                    }
                    // Caught on purpose (uncancel): the task goes on and may await again.
                    current_task().unwrap().uncancel();
                    sleep_ms(1).await?;
                    trace.log("after");
                    Ok::<_, Error>(7)
                }
            });
            yield_now().await.unwrap();
            for _ in 0..4 {
                assert!(t.cancel());
            }
            trace.log(format!("{:?}", t.await));
        }
    })
    .unwrap();
    trace.assert(&["start", "Cancelled", "after", "Ok(7)"]);
    assert!(
        lp.time().ticks_since(start) < 10,
        "the sleeper was woken early"
    );
}

#[test]
fn cancelling_a_finished_task_returns_false() {
    let out = run(async {
        let t = create_task(async {});
        yield_now().await.unwrap();
        (t.done(), t.cancel(), t.await)
    });
    assert_eq!(out, Ok((true, false, Ok(()))));
}

#[test]
fn cancel_is_forwarded_to_the_awaited_task() {
    // MicroPython's asyncio_cancel_task, nested cases.
    for inner_allows in [true, false] {
        let trace = Trace::new();
        run({
            let trace = trace.clone();
            async move {
                let outer = create_task({
                    let trace = trace.clone();
                    async move {
                        let inner = create_task({
                            let trace = trace.clone();
                            async move {
                                if let Err(c) = sleep_ms(50).await {
                                    trace.log("inner cancel");
                                    if inner_allows {
                                        return Err(c);
                                    }
                                }
                                Ok(())
                            }
                        });
                        match inner.await {
                            Ok(()) => trace.log("outer done"),
                            Err(c) => {
                                trace.log("outer cancel");
                                return Err(c);
                            }
                        }
                        Ok::<_, Error>(())
                    }
                });
                sleep_ms(10).await.unwrap();
                outer.cancel();
                sleep_ms(100).await.unwrap();
            }
        })
        .unwrap();
        if inner_allows {
            trace.assert(&["inner cancel", "outer cancel"]);
        } else {
            trace.assert(&["inner cancel", "outer done"]);
        }
    }
}

#[test]
fn cancel_overrides_a_wake_that_has_not_run_yet() {
    // MicroPython's asyncio_cancel_wait_on_finished: the awaited task finished, but the
    // awaiter is cancelled before it resumes, so it sees Cancelled, not the result.
    let out = run(async {
        let quick = create_task(async {
            yield_now().await?;
            Ok::<_, Error>(1)
        });
        let waiter = create_task(async move { quick.await });
        yield_now().await.unwrap();
        yield_now().await.unwrap();
        waiter.cancel();
        waiter.await
    });
    assert_eq!(out, Ok(Err(Error::Cancelled)));
}

#[test]
fn a_task_may_cancel_itself() {
    // CPython semantics (MicroPython raises "can't cancel self"): the request is delivered at
    // the next await, or ends the task cancelled if it finishes first.
    let out = run(async {
        let awaits = create_task(async {
            current_task().unwrap().cancel();
            yield_now().await?;
            Ok::<_, Error>("not reached")
        });
        let returns = create_task(async {
            current_task().unwrap().cancel();
            Ok::<_, Error>("discarded")
        });
        (awaits.await, returns.await)
    });
    assert_eq!(out, Ok((Err(Error::Cancelled), Err(Error::Cancelled))));
}

#[test]
fn current_task_is_the_running_task() {
    assert!(current_task().is_none());
    let out = run(async {
        let t = create_task(async { Ok::<_, Error>(current_task().unwrap()) });
        let r = t.to_ref();
        let inside = t.await.unwrap();
        inside == r && inside != current_task().unwrap()
    });
    assert_eq!(out, Ok(true));
    assert!(current_task().is_none());
}

#[test]
fn a_cancelled_main_task_ends_run_with_cancelled() {
    let out = run(async {
        current_task().unwrap().cancel();
        yield_now().await?;
        Ok::<_, Error>(())
    });
    assert_eq!(out, Ok(Err(Error::Cancelled)));
}

thread_local! {
    static REPORTS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn record(_: Loop, ctx: &ExceptionContext<'_>) {
    REPORTS.with(|r| {
        r.borrow_mut()
            .push(format!("{} {:?}", ctx.message, ctx.failure))
    });
}

fn reports() -> Vec<String> {
    REPORTS.with(|r| r.borrow().clone())
}

#[test]
fn unretrieved_failures_reach_the_handler_one_round_later_in_order() {
    // MicroPython's asyncio_set_exception_handler.
    let lp = get_event_loop();
    assert!(lp.get_exception_handler().is_none());
    lp.set_exception_handler(Some(std::rc::Rc::new(record)));
    run(async {
        let _a = create_task(async { Err::<(), _>(Error::Timeout) });
        yield_now().await.unwrap(); // the task fails
        assert!(reports().is_empty(), "reported too early");
        yield_now().await.unwrap(); // one round later: reported
        assert_eq!(reports().len(), 1);

        let _b = create_task(async { Err::<(), _>(Error::NestedRun) });
        let _c = create_task(async { Err::<(), _>(Error::LoopRunning) });
        yield_now().await.unwrap();
        yield_now().await.unwrap();

        // Awaited in time: not reported.
        let d = create_task(async { Err::<(), _>(Error::Timeout) });
        yield_now().await.unwrap();
        assert_eq!(d.await, Err(Error::Timeout));
        yield_now().await.unwrap();

        // Cancellations are never reported.
        let e = create_task(sleep_ms(100));
        yield_now().await.unwrap();
        e.cancel();
        drop(e);
        sleep_ms(200).await.unwrap();
    })
    .unwrap();
    assert_eq!(
        reports(),
        [
            "Task exception wasn't retrieved Timeout",
            "Task exception wasn't retrieved NestedRun",
            "Task exception wasn't retrieved LoopRunning",
        ]
    );
}

#[test]
fn finished_tasks_are_freed() {
    struct Counted(Rc<Cell<u32>>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let dropped = Rc::new(Cell::new(0));
    run({
        let dropped = dropped.clone();
        async move {
            for _ in 0..10 {
                let value = Counted(dropped.clone());
                // The output is never retrieved: it lives in the task until the task is freed.
                let _t = create_task(async move {
                    yield_now().await?;
                    Ok::<_, Error>(value)
                });
            }
            sleep_ms(1).await.unwrap();
        }
    })
    .unwrap();
    assert_eq!(dropped.get(), 10);
    assert_eq!(get_event_loop().stats().tasks_alive, 0);
}

/// Every loop primitive tells a task listing what its task waits for.
#[cfg(feature = "task-info")]
#[test]
fn a_waiting_task_shows_what_it_waits_for() {
    use asyncio_core::{
        gather, wait_for_ms, Barrier, BoundedSemaphore, Condition, Event, Lock, Queue, Semaphore,
        ThreadSafeFlag, Waiting,
    };

    let out = run(async {
        let event = Rc::new(Event::new());
        let lock = Rc::new(Lock::new());
        let sem = Rc::new(Semaphore::new(0));
        let bounded = Rc::new(BoundedSemaphore::new(1));
        let empty = Rc::new(Queue::<u8>::new(1));
        let full = Rc::new(Queue::<u8>::new(1));
        full.put_nowait(1).unwrap();
        let cond = Rc::new(Condition::new());
        let barrier = Rc::new(Barrier::new(2));
        let flag: &'static ThreadSafeFlag = Box::leak(Box::new(ThreadSafeFlag::new()));
        let held = lock.acquire().await?;
        let _taken = bounded.acquire().await?;
        let sleeper = create_task(sleep_ms(250));
        sleeper.set_name("sleeper");

        let waiters = vec![
            create_task({
                let e = event.clone();
                async move { e.wait().await.map(drop) }
            }),
            create_task({
                let l = lock.clone();
                async move { l.acquire().await.map(drop) }
            }),
            create_task({
                let s = sem.clone();
                async move { s.acquire().await.map(drop) }
            }),
            create_task({
                let b = bounded.clone();
                async move { b.acquire().await.map(drop) }
            }),
            create_task({
                let q = empty.clone();
                async move { q.get().await.map(drop) }
            }),
            create_task({
                let q = full.clone();
                async move { q.put(2).await }
            }),
            create_task({
                let c = cond.clone();
                async move {
                    let guard = c.lock().await?;
                    c.wait(guard).await.map(drop)
                }
            }),
            create_task({
                let b = barrier.clone();
                async move { b.wait().await.map(drop) }
            }),
            create_task(async move { flag.wait().await }),
            create_task({
                let s = sleeper.to_ref();
                async move { s.wait().await }
            }),
            create_task(async { wait_for_ms(sleep_ms(1000), 500).await }),
            create_task(async { gather(vec![create_task(sleep_ms(1000))]).await.map(drop) }),
        ];
        yield_now().await?;
        yield_now().await?;
        let seen: Vec<String> = waiters.iter().map(|t| t.waiting().to_string()).collect();
        let sleeping = sleeper.waiting();
        let me = current_task().unwrap().waiting();
        drop(held);
        for t in waiters {
            t.abort();
        }
        let done = sleeper.to_ref();
        sleeper.cancel();
        yield_now().await?;
        Ok::<_, Error>((seen, sleeping, me, done.waiting()))
    });
    let (seen, sleeping, me, done) = out.unwrap().unwrap();
    assert_eq!(
        seen,
        [
            "Event",
            "Lock",
            "Semaphore",
            "BoundedSemaphore",
            "Queue.get",
            "Queue.put",
            "Condition",
            "Barrier",
            "ThreadSafeFlag",
            "task sleeper",
            "wait_for",
            "gather",
        ]
    );
    assert_eq!(sleeping, Waiting::Sleep { until_ms: 250 });
    assert_eq!(me, Waiting::Ready);
    assert_eq!(done, Waiting::Done);
}

#[test]
fn gather_fails_with_the_child_that_failed_first_in_time_after_those_failed_before() {
    async fn fail_after(ms: u32, code: u32) -> Result<(), Error> {
        sleep_ms(ms).await?;
        Err(Error::Os(code as i32))
    }
    let out = run(async {
        // Watched: the third argument fails first.
        let in_time =
            asyncio_core::gather((fail_after(30, 1), fail_after(20, 2), fail_after(10, 3)))
                .await
                .map(drop);
        // A child that failed before the gather looked wins over one failing while watched,
        // whatever their argument order.
        let early = create_task(fail_after(0, 5));
        sleep_ms(1).await.unwrap();
        let late = create_task(fail_after(0, 6));
        let before = asyncio_core::gather(vec![late, early]).await.map(drop);
        (in_time, before)
    });
    assert_eq!(out, Ok((Err(Error::Os(3)), Err(Error::Os(5)))));
}
