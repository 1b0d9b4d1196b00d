//! `asyncio_lock.py`: basic use, `async with` (a guard), three contenders taking turns in
//! order, sleeping holders, and cancelling while holding or waiting. `lock.release()` is
//! dropping (or releasing) the guard.

use super::prelude::*;

pub const EXPECTED: &str = "False\nTrue\nFalse\nhave lock\n----\ntask start 1\ntask start 2\ntask start 3\ntask have 1 0\ntask have 2 0\ntask have 3 0\ntask have 1 1\ntask have 2 1\ntask have 3 1\ntask have 1 2\ntask end 1\ntask have 2 2\ntask end 2\ntask have 3 2\ntask end 3\n----\ntask have True\ntask release False\ntask have True\ntask release False\ntask have again\ntask have again\n----\ntask got 0\ntask release 0\ntask cancel 1\ntask got 2\ntask release 2\nFalse\n----\ntask got 0\ntask cancel 1\ntask release 0\ntask got 2\ntask cancel 2\nFalse\n";

async fn task_loop(out: Out, id: u32, lock: Rc<Lock>) -> Result<()> {
    say!(out, "task start {id}");
    for i in 0..3 {
        let _held = lock.acquire().await?;
        say!(out, "task have {id} {i}");
    }
    say!(out, "task end {id}");
    Ok(())
}

async fn task_sleep(out: Out, lock: Rc<Lock>) -> Result<()> {
    {
        let _held = lock.acquire().await?;
        say!(out, "task have {}", py_bool(lock.locked()));
        sleep_ms(200).await?;
    }
    say!(out, "task release {}", py_bool(lock.locked()));
    let held = lock.acquire().await?;
    say!(out, "task have again");
    held.release();
    Ok(())
}

async fn task_cancel(
    out: Out,
    id: u32,
    lock: Rc<Lock>,
    to_cancel: Option<Rc<RefCell<Option<TaskRef>>>>,
) -> Result<()> {
    let body = async {
        {
            let _held = lock.acquire().await?;
            say!(out, "task got {id}");
            sleep_ms(100).await?;
        }
        say!(out, "task release {id}");
        if let Some(to_cancel) = &to_cancel {
            if let Some(t) = to_cancel.borrow().as_ref() {
                t.cancel();
            }
        }
        Ok::<_, Error>(())
    };
    if body.await.is_err() {
        say!(out, "task cancel {id}");
    }
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let o = &out;
        let lock = Rc::new(Lock::new());

        // Basic acquire/release
        say!(o, "{}", py_bool(lock.locked()));
        let held = lock.acquire().await?;
        say!(o, "{}", py_bool(lock.locked()));
        sleep_ms(0).await?;
        held.release();
        say!(o, "{}", py_bool(lock.locked()));
        sleep_ms(0).await?;

        // Use with "async with"
        {
            let _held = lock.acquire().await?;
            say!(o, "have lock");
        }

        // 3 tasks wanting the lock
        say!(o, "----");
        let _t1 = create_task(task_loop(o.clone(), 1, lock.clone()));
        let _t2 = create_task(task_loop(o.clone(), 2, lock.clone()));
        let t3 = create_task(task_loop(o.clone(), 3, lock.clone()));
        let held = lock.acquire().await?;
        sleep_ms(0).await?;
        held.release();
        t3.await?;

        // 2 sleeping tasks both wanting the lock
        say!(o, "----");
        let _ts = create_task(task_sleep(o.clone(), lock.clone()));
        sleep_ms(100).await?;
        task_sleep(o.clone(), lock.clone()).await?;

        // 3 tasks, the first cancelling the second, the third should still run
        say!(o, "----");
        let ts: Rc<RefCell<Option<TaskRef>>> = Rc::default();
        let _c0 = create_task(task_cancel(o.clone(), 0, lock.clone(), Some(ts.clone())));
        let c1 = create_task(task_cancel(o.clone(), 1, lock.clone(), None));
        *ts.borrow_mut() = Some(c1.to_ref());
        let _c2 = create_task(task_cancel(o.clone(), 2, lock.clone(), None));
        sleep_ms(300).await?;
        say!(o, "{}", py_bool(lock.locked()));

        // 3 tasks, the second and third being cancelled while waiting on the lock
        say!(o, "----");
        let _t0 = create_task(task_cancel(o.clone(), 0, lock.clone(), None));
        let t1 = create_task(task_cancel(o.clone(), 1, lock.clone(), None));
        let t2 = create_task(task_cancel(o.clone(), 2, lock.clone(), None));
        sleep_ms(50).await?;
        t1.cancel();
        sleep_ms(100).await?;
        t2.cancel();
        sleep_ms(100).await?;
        say!(o, "{}", py_bool(lock.locked()));
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
