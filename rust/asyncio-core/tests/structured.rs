//! Structured concurrency with CPython 3.11+'s semantics: task groups, timeout scopes that
//! cancel in place, shield, wait and as_completed. Several cases are ports of CPython's
//! `test_taskgroups.py` and `test_timeouts.py` (named after them); times are the loop's
//! simulated milliseconds, so every assertion on them is exact.

mod common;

use std::cell::Cell;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};

use asyncio_core::{
    as_completed, create_task, current_task, drop_after_ms, get_event_loop, run, shield, sleep_ms,
    task_group, timeout, timeout_ms, wait, yield_now, Error, ExceptionContext, GroupError, Loop,
    Result, ReturnWhen,
};
use common::Trace;

fn now() -> u64 {
    get_event_loop().time_ms()
}

/// Sleeps `ms`; if cancelled, logs it, cleans up for `cleanup_ms` (awaiting), logs that and
/// passes the cancellation on.
async fn worker(name: &'static str, ms: u32, cleanup_ms: u32, trace: Trace) -> Result<u32> {
    match sleep_ms(ms).await {
        Ok(()) => {
            trace.log(format!("{name} done at {}", now()));
            Ok(ms)
        }
        Err(Error::Cancelled) => {
            trace.log(format!("{name} cancelled at {}", now()));
            sleep_ms(cleanup_ms).await?;
            trace.log(format!("{name} cleaned up at {}", now()));
            Err(Error::Cancelled)
        }
        Err(e) => Err(e),
    }
}

async fn fail_after(ms: u32, error: Error) -> Result<u32> {
    sleep_ms(ms).await?;
    Err(error)
}

/// Counts the calls of the loop's exception handler.
fn count_reports() -> Rc<Cell<u32>> {
    thread_local! {
        static REPORTS: Rc<Cell<u32>> = Rc::new(Cell::new(0));
    }
    fn handler(_: Loop, _: &ExceptionContext<'_>) {
        REPORTS.with(|r| r.set(r.get() + 1));
    }
    get_event_loop().set_exception_handler(Some(Rc::new(handler)));
    REPORTS.with(|r| {
        r.set(0);
        r.clone()
    })
}

// ---- TaskGroup -----------------------------------------------------------------------------

#[test]
fn test_taskgroup_01_the_scope_waits_for_every_member_and_returns_the_body_value() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(task_group(move |tg| async move {
        let a = tg.create_task(worker("a", 10, 0, t.clone()))?;
        let spawner = tg.clone();
        let t2 = t.clone();
        tg.spawn(async move {
            sleep_ms(5).await?;
            spawner.spawn(worker("late", 20, 0, t2))?; // a member spawns a member
            Ok(0)
        })?;
        Ok::<_, Error>(a.await? + 1)
    }));
    assert_eq!(out.unwrap(), Ok(11));
    // The body ended at 10; the scope waited for the late member (5 + 20).
    trace.assert(&["a done at 10", "late done at 25"]);
}

#[test]
fn a_failure_while_siblings_are_mid_cleanup_collects_every_error_and_waits_for_the_cleanup() {
    let trace = Trace::new();
    let t = trace.clone();
    let reports = count_reports();
    let out = run(async move {
        let scope = task_group(|tg| async move {
            tg.spawn(fail_after(10, Error::ValueError))?;
            tg.spawn(worker("b", 1000, 20, t.clone()))?;
            // c fails during its cleanup: its error counts too.
            let t3 = t.clone();
            tg.spawn(async move {
                let _ = worker("c", 1000, 5, t3).await;
                Err::<u32, _>(Error::Timeout)
            })?;
            match sleep_ms(5000).await {
                Err(Error::Cancelled) => {
                    t.log(format!("body cancelled at {}", now()));
                    Err(Error::Cancelled)
                }
                other => other,
            }
        });
        let out = scope.await;
        (out, now())
    });
    let (out, at) = out.unwrap();
    assert_eq!(
        out,
        Err(GroupError::Failed(vec![Error::ValueError, Error::Timeout]))
    );
    assert_eq!(at, 30, "the scope waited for b's cleanup");
    trace.assert(&[
        // The body in place, at once; the members in spawn order.
        "body cancelled at 10",
        "b cancelled at 10",
        "c cancelled at 10",
        "c cleaned up at 15",
        "b cleaned up at 30",
    ]);
    assert_eq!(reports.get(), 0, "the group retrieved the failures");
}

#[test]
fn cancelling_the_parent_during_the_groups_shutdown_still_waits_and_the_failure_wins() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let parent = create_task(async move {
            let scope = task_group(|tg| async move {
                tg.spawn(fail_after(10, Error::ValueError))?;
                tg.spawn(worker("b", 1000, 20, t))?;
                Ok::<_, Error>(())
            });
            let out = scope.await;
            // The outside request is still counted: the task knows it was cancelled.
            Ok::<_, Error>((out, now(), current_task().unwrap().cancelling()))
        });
        sleep_ms(15).await?; // b is cleaning up
        parent.cancel();
        parent.await
    });
    let (out, at, cancelling) = out.unwrap().unwrap();
    assert_eq!(out, Err(GroupError::Failed(vec![Error::ValueError])));
    assert_eq!(at, 30);
    assert_eq!(cancelling, 1);
    trace.assert(&["b cancelled at 10", "b cleaned up at 30"]);
}

#[test]
fn test_taskgroup_cancel_parent_cancels_members_waits_for_them_and_passes_the_cancellation_on() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let parent = create_task(async move {
            let out = task_group(|tg| async move {
                tg.spawn(worker("a", 1000, 10, t.clone()))?;
                tg.spawn(worker("b", 1000, 3, t.clone()))?;
                worker("body", 1000, 0, t).await
            })
            .await;
            Err::<(), _>(out.unwrap_err())
        });
        sleep_ms(5).await?;
        parent.cancel();
        let out = parent.await;
        Ok::<_, Error>((out, now()))
    });
    let (out, at) = out.unwrap().unwrap();
    assert_eq!(out, Err(GroupError::Cancelled));
    assert_eq!(at, 15);
    trace.assert(&[
        "body cancelled at 5",
        "body cleaned up at 5",
        "a cancelled at 5",
        "b cancelled at 5",
        "b cleaned up at 8",
        "a cleaned up at 15",
    ]);
}

#[test]
fn nested_groups_pass_an_inner_failure_out_and_cancel_the_outer_siblings() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(task_group(move |outer| async move {
        outer.spawn(worker("outer sibling", 1000, 0, t.clone()))?;
        let t2 = t.clone();
        let inner = task_group(|tg| async move {
            tg.spawn(worker("inner sibling", 1000, 0, t2))?;
            tg.spawn(fail_after(10, Error::ValueError))?;
            Ok::<_, Error>(())
        });
        inner.await?; // a GroupError becomes its first error
        Ok::<_, Error>(())
    }));
    assert_eq!(
        out.unwrap(),
        Err(GroupError::Failed(vec![Error::ValueError]))
    );
    trace.assert(&[
        "inner sibling cancelled at 10",
        "inner sibling cleaned up at 10",
        "outer sibling cancelled at 10",
        "outer sibling cleaned up at 10",
    ]);
}

#[test]
fn a_group_takes_no_tasks_once_aborting_or_finished() {
    let out = run(async {
        let kept = Rc::new(Cell::new(None));
        let k = kept.clone();
        let out = task_group(|tg| async move {
            k.set(Some(tg.clone()));
            tg.spawn(fail_after(1, Error::ValueError))?;
            let refused = match sleep_ms(100).await {
                Err(Error::Cancelled) => tg.spawn(sleep_ms(1)),
                other => other,
            };
            Ok::<_, Error>(refused)
        })
        .await;
        let after = kept.take().unwrap().spawn(sleep_ms(1));
        (out, after)
    });
    let (out, after) = out.unwrap();
    assert_eq!(out, Err(GroupError::Failed(vec![Error::ValueError])));
    assert_eq!(after, Err(Error::GroupClosed));
}

/// Logs when dropped.
struct DropLog(&'static str, Trace);

impl Drop for DropLog {
    fn drop(&mut self) {
        self.1.log(format!("{} dropped", self.0));
    }
}

#[test]
fn a_dropped_scope_aborts_its_members_so_none_outlives_it() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let scope = task_group(|tg| async move {
            let t2 = t.clone();
            tg.spawn(async move {
                let _guard = DropLog("member", t2);
                sleep_ms(1000).await
            })?;
            sleep_ms(1000).await
        });
        let out = drop_after_ms(10, scope).await;
        let alive = get_event_loop().stats().tasks_alive;
        (out.map(drop), alive)
    });
    let (out, alive) = out.unwrap();
    assert_eq!(out, Err(Error::Timeout));
    assert_eq!(alive, 1, "only the main task is left");
    trace.assert(&["member dropped"]);
}

#[test]
fn a_member_cancelled_on_its_own_is_not_a_failure() {
    let out = run(task_group(|tg| async move {
        let a = tg.create_task(sleep_ms(1000))?;
        let b = tg.create_task(async {
            sleep_ms(10).await?;
            Ok::<_, Error>(2)
        })?;
        yield_now().await?;
        a.cancel();
        b.await
    }));
    assert_eq!(out.unwrap(), Ok(2));
}

#[test]
fn test_timeout_taskgroup_a_timeout_around_a_group_is_a_timeout() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let out = timeout_ms(
            10,
            task_group(|tg| async move {
                tg.spawn(worker("member", 1000, 5, t))?;
                sleep_ms(1000).await
            }),
        )
        .await;
        (out, now())
    });
    let (out, at) = out.unwrap();
    // The scope's error type is the group's: the timeout arrives as its one error.
    assert_eq!(out, Err(GroupError::Failed(vec![Error::Timeout])));
    assert_eq!(at, 15, "the timeout waited for the member's cleanup");
    trace.assert(&["member cancelled at 10", "member cleaned up at 15"]);
}

#[test]
fn the_dump_marks_a_task_groups_members() {
    let out = run(task_group(|tg| async move {
        let member = tg.create_task(sleep_ms(10))?;
        let loner = create_task(sleep_ms(10));
        yield_now().await?;
        let dump = get_event_loop().dump().to_string();
        let marks = (member.in_group(), loner.in_group());
        loner.await?;
        Ok::<_, Error>((marks, dump))
    }));
    let (marks, dump) = out.unwrap().unwrap();
    assert_eq!(marks, (true, false));
    let members = dump
        .lines()
        .filter(|l| l.trim_end().ends_with("  group"))
        .count();
    assert_eq!(members, 1, "{dump}");
}

// ---- timeout scopes -------------------------------------------------------------------------

#[test]
fn test_timeout_basic_the_code_is_cancelled_in_place_and_its_cleanup_awaits() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let out = timeout_ms(10, worker("block", 1000, 5, t)).await;
        // The scope's cancellation was taken back: the task goes on normally.
        let cancelling = current_task().unwrap().cancelling();
        (out, now(), cancelling, sleep_ms(1).await)
    });
    assert_eq!(out.unwrap(), (Err(Error::Timeout), 15, 0, Ok(())));
    trace.assert(&["block cancelled at 10", "block cleaned up at 15"]);
}

#[test]
fn test_timeout_zero_and_none() {
    let out = run(async {
        let zero = timeout(core::time::Duration::ZERO, sleep_ms(10)).await;
        let none = timeout(None, sleep_ms(10)).await;
        (zero, none)
    });
    assert_eq!(out.unwrap(), (Err(Error::Timeout), Ok(())));
}

#[test]
fn test_foreign_cancel_doesnt_timeout_if_not_expired() {
    let out = run(async {
        let t = create_task(timeout_ms(1000, sleep_ms(2000)));
        sleep_ms(10).await?;
        t.cancel();
        Ok::<_, Error>(t.await)
    });
    assert_eq!(out.unwrap(), Ok(Err(Error::Cancelled)));
}

#[test]
fn an_outside_cancellation_during_the_cleanup_after_expiry_stays_a_cancellation() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let task = create_task(timeout_ms(10, worker("block", 1000, 20, t)));
        sleep_ms(15).await?; // the block is cleaning up after the expiry
        task.cancel();
        Ok::<_, Error>((task.await, now()))
    });
    assert_eq!(out.unwrap(), Ok((Err(Error::Cancelled), 15)));
    // The cleanup's sleep saw the second cancellation.
    trace.assert(&["block cancelled at 10"]);
}

#[test]
fn a_timeout_that_expires_while_the_block_is_already_finishing_returns_the_result() {
    let out = run(async {
        let flag = Rc::new(Cell::new(false));
        let waker: Rc<Cell<Option<Waker>>> = Rc::new(Cell::new(None));
        // Armed before the scope's deadline, so it runs first in the round where both expire.
        let (f, w) = (flag.clone(), waker.clone());
        let setter = create_task(async move {
            sleep_ms(10).await?;
            f.set(true);
            if let Some(w) = w.take() {
                w.wake();
            }
            Ok::<_, Error>(())
        });
        yield_now().await?;
        // A foreign future: it finishes without looking for a cancellation.
        let finishing = poll_fn(|cx| {
            if flag.get() {
                Poll::Ready(Ok::<_, Error>(7))
            } else {
                waker.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        });
        let out = timeout_ms(9, finishing).await;
        setter.await?;
        // The cancellation the scope made was withdrawn with it.
        Ok::<_, Error>((out, now(), sleep_ms(1).await))
    });
    assert_eq!(out.unwrap(), Ok((Ok(7), 10, Ok(()))));
}

#[test]
fn test_nested_timeouts_each_scope_converts_only_its_own_cancellation() {
    let out = run(async {
        // Both expire in the same round: the inner passes the outer's cancellation on.
        let both = timeout_ms(10, timeout_ms(10, sleep_ms(1000))).await;
        // Only the inner expires: the outer sees its timeout as an ordinary error.
        let inner = timeout_ms(100, async {
            let r = timeout_ms(5, sleep_ms(1000)).await;
            sleep_ms(1).await?;
            Ok::<_, Error>(r)
        })
        .await;
        (both, inner, now())
    });
    assert_eq!(
        out.unwrap(),
        (Err(Error::Timeout), Ok(Err(Error::Timeout)), 16)
    );
}

#[test]
fn a_timeout_around_an_awaited_task_cancels_the_task_and_waits_for_its_cleanup() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let task = create_task(worker("task", 1000, 5, t));
        let out = timeout_ms(10, task).await;
        (out, now())
    });
    assert_eq!(out.unwrap(), (Err(Error::Timeout), 15));
    trace.assert(&["task cancelled at 10", "task cleaned up at 15"]);
}

// ---- shield ---------------------------------------------------------------------------------

#[test]
fn a_shielded_task_whose_awaiter_is_cancelled_runs_on_and_its_late_failure_is_reported() {
    let reports = count_reports();
    let out = run(async {
        let save = create_task(fail_after(20, Error::ValueError));
        let watch = save.to_ref();
        let caller = create_task(async move { shield(save).await });
        yield_now().await?;
        caller.cancel();
        let caller_out = caller.await;
        let running = !watch.done();
        let _ = watch.wait().await;
        sleep_ms(1).await?; // the report's round
        Ok::<_, Error>((caller_out, running, now()))
    });
    assert_eq!(out.unwrap(), Ok((Err(Error::Cancelled), true, 21)));
    assert_eq!(reports.get(), 1, "nobody took the shielded task's failure");
}

#[test]
fn cancelling_the_shielded_task_itself_reaches_the_awaiter() {
    let out = run(async {
        let inner = create_task(sleep_ms(1000));
        let r = inner.to_ref();
        let awaiter = create_task(async move { shield(inner).await });
        yield_now().await?;
        r.cancel();
        Ok::<_, Error>(awaiter.await)
    });
    assert_eq!(out.unwrap(), Ok(Err(Error::Cancelled)));
}

// ---- wait and as_completed ------------------------------------------------------------------

#[test]
fn wait_first_exception_returns_at_the_first_failure_and_cancellations_do_not_count() {
    let out = run(async {
        let tasks = [
            create_task(fail_after(30, Error::ValueError)),
            create_task(async {
                sleep_ms(1000).await?;
                Ok(0)
            }),
            create_task(async {
                sleep_ms(10).await?;
                Err(Error::Cancelled) // a cancellation, not a failure
            }),
        ];
        let (done, pending) = wait(&tasks, ReturnWhen::FirstException).await?;
        let at = now();
        let [failed, slow, _] = tasks;
        slow.cancel();
        Ok::<_, Error>((done, pending, at, failed.await))
    });
    assert_eq!(
        out.unwrap(),
        Ok((vec![0, 2], vec![1], 30, Err(Error::ValueError)))
    );
}

#[test]
fn a_cancelled_wait_leaves_the_tasks_running_and_empty_is_a_value_error() {
    let out = run(async {
        let tasks = Rc::new([create_task(sleep_ms(20))]);
        let ts = tasks.clone();
        let waiter = create_task(async move { wait(&*ts, ReturnWhen::AllCompleted).await });
        yield_now().await?;
        waiter.cancel();
        let waited = waiter.await;
        let running = !tasks[0].done();
        let empty: [asyncio_core::TaskRef; 0] = [];
        Ok::<_, Error>((
            waited,
            running,
            wait(&empty, ReturnWhen::AllCompleted).await,
        ))
    });
    assert_eq!(
        out.unwrap(),
        Ok((Err(Error::Cancelled), true, Err(Error::ValueError)))
    );
}

#[test]
fn as_completed_gives_results_in_finishing_order_and_dropping_it_cancels_the_rest() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        let mut results = as_completed(vec![
            create_task(worker("slow", 1000, 0, t.clone())),
            create_task(worker("quick", 10, 0, t.clone())),
            create_task(fail_after(5, Error::ValueError)),
        ]);
        let first = results.next().await;
        let second = results.next().await;
        let left = results.len();
        drop(results);
        sleep_ms(1).await?;
        Ok::<_, Error>((first, second, left))
    });
    assert_eq!(
        out.unwrap(),
        Ok((Some(Err(Error::ValueError)), Some(Ok(10)), 1))
    );
    trace.assert(&[
        "quick done at 10",
        "slow cancelled at 10",
        "slow cleaned up at 10",
    ]);
}

#[test]
fn scopes_dropped_after_cancelling_their_task_take_the_cancellation_back() {
    let trace = Trace::new();
    let t = trace.clone();
    let out = run(async move {
        // The timeout cancels at 10; the block cleans up until 30; dropped at 15.
        let timed = drop_after_ms(15, timeout_ms(10, worker("block", 1000, 20, t))).await;
        let after_timeout = (current_task().unwrap().cancelling(), sleep_ms(1).await);
        // A member fails at 5 and the group cancels the body; the scope is dropped at 10.
        let grouped = drop_after_ms(
            10,
            task_group(|tg| async move {
                tg.spawn(fail_after(5, Error::ValueError))?;
                let _ = sleep_ms(1000).await;
                sleep_ms(1000).await // a body that ignores the first cancellation
            }),
        )
        .await;
        let after_group = (current_task().unwrap().cancelling(), sleep_ms(1).await);
        (
            timed.map(drop),
            after_timeout,
            grouped.map(drop),
            after_group,
        )
    });
    assert_eq!(
        out.unwrap(),
        (
            Err(Error::Timeout),
            (0, Ok(())),
            Err(Error::Timeout),
            (0, Ok(()))
        )
    );
    trace.assert(&["block cancelled at 10"]);
}
