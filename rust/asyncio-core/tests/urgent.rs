//! Urgent wake-ups: a task marked urgent runs as soon as the poll in progress returns, ahead of
//! the round's other ready tasks, at most once per round. Orders are asserted as traces, the
//! bound as poll and round counts.

mod common;

use std::sync::Arc;

use asyncio_core::{
    create_task, current_task, get_event_loop, run, sleep_ms, urgent, yield_now, Error, Result,
    ThreadSafeFlag,
};
use common::Trace;

/// A task that logs each of its `turns` polls, yielding in between.
async fn busy(name: &'static str, turns: u32, trace: Trace) -> Result<()> {
    for _ in 0..turns {
        trace.log(name);
        yield_now().await?;
    }
    Ok(())
}

#[test]
fn an_urgent_wait_woken_mid_round_runs_next_and_a_plain_one_after_the_round() {
    for marked in [true, false] {
        let trace = Trace::new();
        let t = trace.clone();
        run(async move {
            let flag = Arc::new(ThreadSafeFlag::new());
            let f = flag.clone();
            let t2 = t.clone();
            let handler = create_task(async move {
                if marked {
                    urgent(f.wait()).await?;
                } else {
                    f.wait().await?;
                }
                t2.log("handler");
                Ok::<_, Error>(())
            });
            yield_now().await?; // the handler waits
            let setter = {
                let t = t.clone();
                create_task(async move {
                    flag.set();
                    t.log("setter");
                    Ok::<_, Error>(())
                })
            };
            let others = [
                create_task(busy("b", 1, t.clone())),
                create_task(busy("c", 1, t.clone())),
            ];
            setter.await?;
            for o in others {
                o.await?;
            }
            handler.await
        })
        .unwrap()
        .unwrap();
        if marked {
            trace.assert(&["setter", "handler", "b", "c"]);
        } else {
            trace.assert(&["setter", "b", "c", "handler"]);
        }
    }
}

#[test]
fn an_urgent_task_that_keeps_waking_itself_runs_once_per_round() {
    let trace = Trace::new();
    let t = trace.clone();
    let (rounds, urgent_runs, polls) = run(async move {
        let hog = create_task(busy("hog", 5, t.clone()));
        hog.set_urgent(true);
        let a = create_task(busy("a", 5, t.clone()));
        let b = create_task(busy("b", 5, t));
        let before = get_event_loop().stats();
        hog.await?;
        a.await?;
        b.await?;
        let after = get_event_loop().stats();
        Ok::<_, Error>((
            after.rounds - before.rounds,
            after.urgent_runs - before.urgent_runs,
            after.polls - before.polls,
        ))
    })
    .unwrap()
    .unwrap();
    // Each wake of the hog during its own poll finds it already run in this round: it waits
    // for the next one, so the three take turns, one poll each per round.
    let lines = trace.lines();
    for (i, round) in lines.chunks(3).enumerate() {
        assert_eq!(round, ["hog", "a", "b"], "round {i} of {lines:?}");
    }
    assert_eq!(lines.len(), 15);
    assert_eq!(urgent_runs, 0, "it never had to jump: it led every round");
    assert!(rounds >= 5 && polls >= 18, "{rounds} rounds, {polls} polls");
}

#[test]
fn an_urgent_task_already_run_this_round_leads_the_next_one_instead() {
    let trace = Trace::new();
    let t = trace.clone();
    run(async move {
        let flag = Arc::new(ThreadSafeFlag::new());
        let f = flag.clone();
        let t2 = t.clone();
        let handler = create_task(async move {
            for _ in 0..2 {
                urgent(f.wait()).await?;
                t2.log("handler");
            }
            Ok::<_, Error>(())
        });
        yield_now().await?;
        let setter = {
            let (t, flag) = (t.clone(), flag.clone());
            create_task(async move {
                flag.set();
                t.log("set 1");
                yield_now().await?; // the handler jumped ahead of b; now set it again
                flag.set();
                t.log("set 2");
                Ok::<_, Error>(())
            })
        };
        let b = create_task(busy("b", 2, t.clone()));
        setter.await?;
        b.await?;
        handler.await
    })
    .unwrap()
    .unwrap();
    // Round 1: set 1, the handler jumps, b. Round 2: set 2 wakes the handler, which has not run
    // in round 2 yet: it jumps again, ahead of b.
    trace.assert(&["set 1", "handler", "b", "set 2", "handler", "b"]);
}

#[test]
fn the_urgent_mark_is_lifted_after_the_wait_and_shown_in_the_dump() {
    let out = run(async {
        let me = current_task().unwrap();
        urgent(sleep_ms(5)).await?;
        let after_wait = me.is_urgent();
        let flagged = create_task(sleep_ms(100));
        flagged.set_urgent(true);
        yield_now().await?;
        let dump = get_event_loop().dump().to_string();
        flagged.cancel();
        Ok::<_, Error>((after_wait, dump))
    });
    let (after_wait, dump) = out.unwrap().unwrap();
    assert!(!after_wait);
    let marked = dump
        .lines()
        .filter(|l| l.trim_end().ends_with("  urgent"))
        .count();
    assert_eq!(marked, 1, "only the marked task: {dump}");
}
