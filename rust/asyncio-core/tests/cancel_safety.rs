//! Every primitive is cancel-safe: a task cancelled (or aborted) at any of its awaits leaves no
//! lock held, no permit lost, no value lost and no waiter queued.
//!
//! Each test runs one scenario many times, cancelling a chosen task after 0, 1, 2, ... rounds,
//! so the cancel lands at every await of the scenario in turn (waiting, just handed the
//! resource, holding it, ...), then lets everything settle and checks the invariants.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use asyncio_core::{
    create_task, gather, new_event_loop, run, sleep_ms, wait_for_ms, yield_now, Barrier,
    BoundedSemaphore, Condition, Error, Event, Lock, Queue, Result, Semaphore, TaskRef,
    ThreadSafeFlag,
};

/// How the chosen task is stopped.
#[derive(Clone, Copy, Debug)]
enum Stop {
    Cancel,
    Abort,
}

/// For each stop and each round 0..rounds: sets up a fresh scenario with `setup` (which
/// returns the task to stop and the invariant check), stops the task after that many rounds,
/// lets everything settle, and runs the check.
fn sweep<S>(rounds: u32, setup: S)
where
    S: Fn() -> (TaskRef, Box<dyn Fn() -> std::result::Result<(), String>>) + Clone + 'static,
{
    for stop in [Stop::Cancel, Stop::Abort] {
        for at in 0..rounds {
            new_event_loop().unwrap();
            let setup = setup.clone();
            let verdict = run(async move {
                let (target, check) = setup();
                for _ in 0..at {
                    yield_now().await?;
                }
                match stop {
                    Stop::Cancel => target.cancel(),
                    Stop::Abort => target.abort(),
                };
                sleep_ms(1_000).await?; // everything settles
                Ok::<_, Error>(check())
            })
            .unwrap()
            .unwrap();
            if let Err(why) = verdict {
                panic!("{stop:?} after {at} rounds: {why}");
            }
        }
    }
}

fn ensure(ok: bool, why: impl Into<String>) -> std::result::Result<(), String> {
    ok.then_some(()).ok_or_else(|| why.into())
}

#[test]
fn lock_is_cancel_safe() {
    // Three tasks take the lock in turn, holding it across two awaits; the middle one is
    // stopped: waiting, just handed the lock, or holding it.
    sweep(12, || {
        let lock = Rc::new(Lock::new());
        let held_by_others = Rc::new(Cell::new(0));
        let spawn = |lock: Rc<Lock>, count: Rc<Cell<u32>>| {
            create_task(async move {
                let _held = lock.acquire().await?;
                count.set(count.get() + 1);
                // Held across rounds (not a timer: time stands still while the sweep yields),
                // so the hand-offs fall inside the swept rounds.
                yield_now().await?;
                yield_now().await
            })
        };
        let _a = spawn(lock.clone(), held_by_others.clone());
        let b = spawn(lock.clone(), Rc::new(Cell::new(0)));
        let _c = spawn(lock.clone(), held_by_others.clone());
        let target = b.to_ref();
        let check = Box::new(move || {
            ensure(!lock.locked(), "the lock is still held")?;
            ensure(lock.waiting() == 0, "a waiter is still queued")?;
            ensure(held_by_others.get() == 2, "a task never got the lock")
        });
        (target, check)
    });
}

#[test]
fn semaphores_are_cancel_safe() {
    sweep(12, || {
        let sem = Rc::new(BoundedSemaphore::new(2));
        let spawn = |sem: Rc<BoundedSemaphore>| {
            create_task(async move {
                let _permit = sem.acquire().await?;
                yield_now().await?;
                yield_now().await
            })
        };
        let tasks: Vec<_> = (0..5).map(|_| spawn(sem.clone())).collect();
        let target = tasks[2].to_ref();
        let check = Box::new(move || {
            ensure(sem.value() == 2, format!("permits lost: {sem:?}"))?;
            ensure(sem.waiting() == 0, "a waiter is still queued")
        });
        (target, check)
    });
}

#[test]
fn event_waiters_are_cancel_safe() {
    sweep(6, || {
        let ev = Rc::new(Event::new());
        let woken = Rc::new(Cell::new(0));
        let spawn = |ev: Rc<Event>, woken: Rc<Cell<u32>>| {
            create_task(async move {
                ev.wait().await?;
                woken.set(woken.get() + 1);
                Ok::<_, Error>(())
            })
        };
        let _a = spawn(ev.clone(), woken.clone());
        let b = spawn(ev.clone(), Rc::new(Cell::new(0)));
        let setter = ev.clone();
        let _set = create_task(async move {
            yield_now().await?;
            yield_now().await?;
            setter.set();
            Ok::<_, Error>(())
        });
        let target = b.to_ref();
        let check = Box::new(move || {
            ensure(ev.waiting() == 0, "a waiter is still queued")?;
            ensure(woken.get() == 1, "the other waiter was not woken")
        });
        (target, check)
    });
}

#[test]
fn queue_get_and_put_are_cancel_safe() {
    // Values 0..6 through a queue of 1, two getters; the stopped getter may lose nothing it
    // did not return, and no value may be lost or duplicated.
    for stopped in ["getter", "putter"] {
        sweep(16, move || {
            let q = Rc::new(Queue::new(1));
            let got = Rc::new(RefCell::new(Vec::new()));
            let put_ok = Rc::new(RefCell::new(Vec::new()));
            let getter = |q: Rc<Queue<u32>>, got: Rc<RefCell<Vec<u32>>>| {
                create_task(async move {
                    while let Ok(v) = q.get().await {
                        got.borrow_mut().push(v);
                    }
                })
            };
            let putter =
                |q: Rc<Queue<u32>>, values: std::ops::Range<u32>, ok: Rc<RefCell<Vec<u32>>>| {
                    create_task(async move {
                        for v in values {
                            q.put(v).await?;
                            ok.borrow_mut().push(v);
                        }
                        Ok::<_, Error>(())
                    })
                };
            let g1 = getter(q.clone(), got.clone());
            let g2 = getter(q.clone(), got.clone());
            let p1 = putter(q.clone(), 0..3, put_ok.clone());
            let p2 = putter(q.clone(), 3..6, put_ok.clone());
            let target = if stopped == "getter" {
                g2.to_ref()
            } else {
                p2.to_ref()
            };
            let (g1, g2, p1) = (g1.to_ref(), g2.to_ref(), p1.to_ref());
            let check = Box::new(move || {
                let (getters, putters) = q.waiting();
                let mut seen = got.borrow().clone();
                while let Some(v) = q.get_nowait() {
                    seen.push(v);
                }
                seen.sort_unstable();
                let mut sent = put_ok.borrow().clone();
                sent.sort_unstable();
                ensure(seen == sent, format!("put {sent:?} but got {seen:?}"))?;
                ensure(putters == 0, "a putter is still queued")?;
                ensure(p1.done(), "the other putter did not finish")?;
                // Every getter still running waits in the queue; a stopped one does not.
                let live = [&g1, &g2].iter().filter(|g| !g.done()).count();
                ensure(!g1.done(), "the other getter ended")?;
                ensure(
                    getters == live,
                    format!("{getters} getters queued, {live} running"),
                )
            });
            (target, check)
        });
    }
}

#[test]
fn condition_is_cancel_safe() {
    sweep(10, || {
        let cond = Rc::new(Condition::new());
        let ready = Rc::new(Cell::new(false));
        let waiter = |cond: Rc<Condition>, ready: Rc<Cell<bool>>| {
            create_task(async move {
                let held = cond.lock().await?;
                let _held = cond.wait_for(held, || ready.get()).await?;
                sleep_ms(1).await
            })
        };
        let _a = waiter(cond.clone(), ready.clone());
        let b = waiter(cond.clone(), ready.clone());
        let notifier = cond.clone();
        let flag = ready.clone();
        let _n = create_task(async move {
            yield_now().await?;
            yield_now().await?;
            let _held = notifier.lock().await?;
            flag.set(true);
            notifier.notify_all()
        });
        let target = b.to_ref();
        let check = Box::new(move || {
            ensure(!cond.locked(), "the condition's lock is still held")?;
            ensure(cond.waiting() == 0, "a waiter is still queued")
        });
        (target, check)
    });
}

#[test]
fn barrier_is_cancel_safe() {
    sweep(6, || {
        let barrier = Rc::new(Barrier::new(3));
        let spawn = |b: Rc<Barrier>| create_task(async move { b.wait().await.map(|_| ()) });
        let _a = spawn(barrier.clone());
        let b = spawn(barrier.clone());
        let target = b.to_ref();
        let check = Box::new(move || {
            // Two parties may be left waiting (the barrier needs three); a stopped one must
            // not count as arrived.
            let waiting = barrier.n_waiting();
            ensure(
                waiting <= 1,
                format!("{waiting} waiting: the stopped task still counts"),
            )
        });
        (target, check)
    });
}

#[test]
fn thread_safe_flag_waiters_are_cancel_safe() {
    sweep(6, || {
        let flag: &'static ThreadSafeFlag = Box::leak(Box::new(ThreadSafeFlag::new()));
        let woken = Rc::new(Cell::new(0));
        let spawn = |woken: Rc<Cell<u32>>| {
            create_task(async move {
                flag.wait().await?;
                woken.set(woken.get() + 1);
                Ok::<_, Error>(())
            })
        };
        let first = spawn(Rc::new(Cell::new(0)));
        let _second = spawn(woken.clone());
        let _set = create_task(async move {
            yield_now().await?;
            yield_now().await?;
            std::thread::spawn(move || flag.set()).join().unwrap();
            Ok::<_, Error>(())
        });
        let target = first.to_ref();
        let check = Box::new(move || {
            // Whether the first waiter consumed the set before being stopped or not, the set
            // may not vanish: either the second waiter got it, or it is still pending.
            ensure(flag.waiting() == 0 || woken.get() == 0, "inconsistent")?;
            ensure(
                woken.get() == 1 || flag.is_set() || flag.waiting() == 1,
                "a set was lost with a stopped waiter",
            )
        });
        (target, check)
    });
}

#[test]
fn a_stopped_gather_leaves_no_child_running() {
    sweep(6, || {
        let children: Rc<RefCell<Vec<TaskRef>>> = Rc::default();
        let registry = children.clone();
        let gatherer = create_task(async move {
            let tasks: Vec<_> = (1..=3).map(|i| create_task(sleep_ms(10_000 * i))).collect();
            registry
                .borrow_mut()
                .extend(tasks.iter().map(|t| t.to_ref()));
            gather(tasks).await
        });
        let target = gatherer.to_ref();
        let check = Box::new(move || {
            // Cancelled, the gather cancels its children. Aborted, it is dropped without
            // running: its children are then ordinary detached tasks, still sleeping.
            let running = children.borrow().iter().filter(|c| !c.done()).count();
            ensure(
                running == 0 || running == children.borrow().len(),
                format!("{running} children left half-cancelled"),
            )
        });
        (target, check)
    });
}

#[test]
fn wait_for_forwards_cancellation_to_its_inner_task() -> Result<()> {
    run(async {
        let inner: Rc<RefCell<Option<TaskRef>>> = Rc::default();
        let slot = inner.clone();
        let waiter = create_task(async move {
            let t = create_task(sleep_ms(10_000));
            *slot.borrow_mut() = Some(t.to_ref());
            wait_for_ms(t, 5_000).await
        });
        yield_now().await?;
        waiter.cancel();
        assert_eq!(waiter.await, Err(Error::Cancelled));
        yield_now().await?;
        let inner = inner.borrow().clone().unwrap();
        assert!(inner.done() && inner.is_cancelled());
        Ok(())
    })?
}

#[test]
fn semaphore_release_above_its_bound_is_refused_and_changes_nothing() {
    let unbounded = Semaphore::new(0);
    assert_eq!(unbounded.release(), Ok(()));
    assert_eq!(unbounded.value(), 1);
    let bounded = BoundedSemaphore::new(1);
    assert_eq!(bounded.release(), Err(Error::ValueError));
    assert_eq!(bounded.value(), 1);
}
