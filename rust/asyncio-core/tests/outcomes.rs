//! Cancellation and task outcomes as MicroPython and CPython users rely on them: cleanup that
//! awaits after a cancellation, every awaiter learning how a task ended, hand-offs that survive
//! a cancelled waiter, loop control edge cases, and timeouts that leave no task running.

mod common;

use std::cell::Cell;
use std::rc::Rc;

use asyncio_core::{
    create_task, gather, get_event_loop, new_event_loop, run, sleep_ms, timeout_ms, yield_now,
    BoundedSemaphore, Condition, Error, Result, ThreadSafeFlag,
};
use common::Trace;

// ---- 1. Cleanup that awaits ---------------------------------------------------------------

/// The tutorial's pattern: catch the cancellation, clean up with awaits, re-raise.
async fn worker_with_cleanup(trace: Trace) -> Result<()> {
    match sleep_ms(10_000).await {
        Err(Error::Cancelled) => {
            trace.log("cancelled");
            sleep_ms(5).await?; // say goodbye, release a remote lock, park a motor
            yield_now().await?;
            trace.log("cleaned up");
            Err(Error::Cancelled)
        }
        other => other,
    }
}

#[test]
fn a_cancelled_task_may_await_its_cleanup_and_then_re_raise() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let worker = create_task(worker_with_cleanup(t));
        yield_now().await?;
        worker.cancel();
        Ok::<_, Error>(worker.await)
    });
    assert_eq!(out.unwrap(), Ok(Err(Error::Cancelled)));
    trace.assert(&["cancelled", "cleaned up"]);
    assert_eq!(get_event_loop().stats().swallowed_cancels, 0);
}

#[test]
fn a_second_cancel_during_the_cleanup_is_delivered_again() {
    let out = run(async {
        let worker = create_task(async {
            let first = sleep_ms(10_000).await;
            // Cleaning up, until told again.
            let second = sleep_ms(10_000).await;
            Ok::<_, Error>((first, second))
        });
        yield_now().await?;
        worker.cancel();
        sleep_ms(1).await?;
        assert!(!worker.done(), "the cleanup runs on");
        worker.cancel();
        worker.await
    });
    assert_eq!(
        out.unwrap(),
        Ok((Err(Error::Cancelled), Err(Error::Cancelled)))
    );
}

// ---- 2. One task, several awaiters ---------------------------------------------------------

#[test]
fn every_awaiter_through_wait_learns_how_the_task_ended() {
    let out = run(async {
        let ok = create_task(async { Ok::<_, Error>(1) });
        let failed = create_task(async { Err::<(), _>(Error::ValueError) });
        let cancelled = create_task(sleep_ms(10_000));
        let (ok_ref, failed_ref, cancelled_ref) =
            (ok.to_ref(), failed.to_ref(), cancelled.to_ref());
        yield_now().await?;
        cancelled.cancel();
        let seen = (
            ok_ref.wait().await,
            failed_ref.wait().await,
            cancelled_ref.wait().await,
        );
        // The owners still get the results themselves.
        let owned = (ok.await, failed.await);
        Ok::<_, Error>((seen, owned))
    });
    let (seen, owned) = out.unwrap().unwrap();
    assert_eq!(
        seen,
        (Ok(()), Err(Error::TaskFailed), Err(Error::Cancelled))
    );
    assert_eq!(owned, (Ok(1), Err(Error::ValueError)));
}

#[test]
fn a_cancel_forwarded_from_a_waiter_reaches_the_waiter_too() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let target = create_task(sleep_ms(10_000));
        let r = target.to_ref();
        let waiter = create_task(async move {
            let seen = r.wait().await;
            t.log(format!("waiter saw {seen:?}"));
            seen?;
            t.log("waiter carried on");
            Ok::<_, Error>(())
        });
        yield_now().await?;
        waiter.cancel(); // forwarded to the task it waits for
        Ok::<_, Error>((waiter.await, target.await))
    });
    assert_eq!(
        out.unwrap(),
        Ok((Err(Error::Cancelled), Err(Error::Cancelled)))
    );
    trace.assert(&["waiter saw Err(Cancelled)"]);
}

#[test]
fn a_failure_watched_only_through_wait_is_reported_to_the_handler() {
    let reported = Rc::new(Cell::new(0));
    let seen = reported.clone();
    let lp = new_event_loop().unwrap();
    lp.set_exception_handler(Some(Rc::new(move |_, _| seen.set(seen.get() + 1))));
    let out = run(async {
        let failing = create_task(async {
            sleep_ms(1).await?;
            Err::<(), _>(Error::ValueError)
        });
        let r = failing.to_ref();
        drop(failing); // nobody will take the result
        let watched = r.wait().await;
        sleep_ms(1).await?;
        Ok::<_, Error>(watched)
    });
    lp.set_exception_handler(None);
    assert_eq!(out.unwrap(), Ok(Err(Error::TaskFailed)));
    assert_eq!(reported.get(), 1, "wait() does not retrieve the error");
}

#[test]
fn a_shared_task_gives_every_awaiter_the_result() {
    let reported = Rc::new(Cell::new(0));
    let seen = reported.clone();
    let lp = new_event_loop().unwrap();
    lp.set_exception_handler(Some(Rc::new(move |_, _| seen.set(seen.get() + 1))));
    let out = run(async {
        let value = create_task(async {
            sleep_ms(1).await?;
            Ok::<_, Error>(String::from("frame 7"))
        })
        .share();
        let failure = create_task(async {
            sleep_ms(1).await?;
            Err::<String, _>(Error::ValueError)
        })
        .share();
        let (v, f) = (value.clone(), failure.clone());
        let other = create_task(async move { Ok::<_, Error>((v.await, f.await)) });
        let mine = (value.await, failure.await);
        sleep_ms(1).await?;
        Ok::<_, Error>((mine, other.await?))
    });
    lp.set_exception_handler(None);
    let (mine, other) = out.unwrap().unwrap();
    assert_eq!(mine, (Ok("frame 7".to_string()), Err(Error::ValueError)));
    assert_eq!(other, mine);
    assert_eq!(
        reported.get(),
        0,
        "the failure was received, so it is not reported"
    );
}

// ---- 3. Hand-offs to a cancelled waiter ----------------------------------------------------

/// Two waiters on a condition; the first is cancelled (before the notify, or after it but
/// before it ran); one notify must still release the second.
fn notify_survives_a_cancelled_waiter(cancel_before_notify: bool) {
    let out = run(async move {
        let cond = Rc::new(Condition::new());
        let waiter = |cond: Rc<Condition>| async move {
            let held = cond.lock().await?;
            let _held = cond.wait(held).await?;
            Ok::<_, Error>(())
        };
        let first = create_task(waiter(cond.clone()));
        let second = create_task(waiter(cond.clone()));
        yield_now().await?;
        assert_eq!(cond.waiting(), 2);
        let held = cond.lock().await?;
        if cancel_before_notify {
            first.cancel();
            cond.notify(1)?;
        } else {
            cond.notify(1)?;
            first.cancel();
        }
        drop(held);
        let first = first.await;
        let second = asyncio_core::wait_for_ms(second, 100).await;
        Ok::<_, Error>((first, second))
    });
    assert_eq!(out.unwrap(), Ok((Err(Error::Cancelled), Ok(()))));
}

#[test]
fn a_notification_for_a_waiter_cancelled_before_the_notify_passes_on() {
    notify_survives_a_cancelled_waiter(true);
}

#[test]
fn a_notification_for_a_waiter_cancelled_before_it_ran_passes_on() {
    notify_survives_a_cancelled_waiter(false);
}

#[test]
fn a_bounded_semaphore_counts_a_permit_in_transit_against_its_bound() {
    let out = run(async {
        let sem = Rc::new(BoundedSemaphore::new(1));
        let held = sem.acquire().await?;
        let s = sem.clone();
        let waiter = create_task(async move {
            let _permit = s.acquire().await?;
            Ok::<_, Error>(())
        });
        yield_now().await?;
        drop(held); // the permit is on its way to the waiter
        let stray = sem.release();
        let value_in_transit = sem.value();
        waiter.await?;
        Ok::<_, Error>((stray, value_in_transit, sem.value()))
    });
    assert_eq!(out.unwrap(), Ok((Err(Error::ValueError), 0, 1)));
}

#[test]
fn two_sets_while_two_tasks_wait_release_both() {
    static FLAG: ThreadSafeFlag = ThreadSafeFlag::new();
    let out = run(async {
        let a = create_task(FLAG.wait());
        let b = create_task(FLAG.wait());
        yield_now().await?;
        assert_eq!(FLAG.waiting(), 2);
        FLAG.set();
        FLAG.set(); // before either waiter ran
        let both = asyncio_core::wait_for_ms(gather((a, b)), 100).await;
        Ok::<_, Error>(both)
    });
    assert_eq!(out.unwrap(), Ok(Ok(((), ()))));
}

#[test]
fn sets_before_anyone_waits_count_once() {
    static FLAG: ThreadSafeFlag = ThreadSafeFlag::new();
    FLAG.set();
    FLAG.set();
    let out = run(async {
        FLAG.wait().await?;
        Ok::<_, Error>(asyncio_core::wait_for_ms(FLAG.wait(), 10).await)
    });
    assert_eq!(out.unwrap(), Ok(Err(Error::Timeout)));
}

// ---- 4. Loop control edge cases ------------------------------------------------------------

#[test]
fn a_stop_inside_run_until_complete_leaves_nothing_behind() {
    let trace = Trace::new();
    let lp = new_event_loop().unwrap();
    let t = trace.clone();
    lp.run_until_complete(async move {
        lp.stop(); // not inside run_forever: no effect (MicroPython)
        t.log("main done");
    })
    .unwrap();
    let t = trace.clone();
    let _ready = lp.create_task(async move {
        t.log("ready task ran");
        lp.stop();
    });
    lp.run_forever().unwrap();
    trace.assert(&["main done", "ready task ran"]);
}

#[test]
fn a_task_created_between_stop_and_run_forever_runs_in_it() {
    let trace = Trace::new();
    let lp = new_event_loop().unwrap();
    lp.stop();
    let t = trace.clone();
    let _late = lp.create_task(async move { t.log("late task ran") });
    lp.run_forever().unwrap();
    trace.assert(&["late task ran"]);
}

// ---- 5. timeout() leaves no task running ---------------------------------------------------

#[test]
fn a_timeout_around_a_gather_cancels_its_children() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let child = |name: &'static str, t: Trace| async move {
            match sleep_ms(50).await {
                Ok(()) => t.log(format!("{name} finished")),
                Err(e) => t.log(format!("{name} saw {e:?}")),
            }
            Ok::<_, Error>(())
        };
        let all = gather((child("a", t.clone()), child("b", t.clone())));
        let out = timeout_ms(10, all).await;
        sleep_ms(100).await?; // long enough for a leaked child to finish
        Ok::<_, Error>(out.map(drop))
    });
    assert_eq!(out.unwrap(), Ok(Err(Error::Timeout)));
    trace.assert(&["a saw Cancelled", "b saw Cancelled"]);
}

#[test]
fn a_timeout_around_a_task_join_cancels_the_task() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let task = create_task(async move {
            let slept = sleep_ms(50).await;
            t.log(format!("task slept: {slept:?}"));
            slept
        });
        let out = timeout_ms(10, task).await;
        sleep_ms(100).await?;
        Ok::<_, Error>(out.map(drop))
    });
    assert_eq!(out.unwrap(), Ok(Err(Error::Timeout)));
    trace.assert(&["task slept: Err(Cancelled)"]);
}
