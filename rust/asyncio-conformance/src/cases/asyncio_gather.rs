//! `asyncio_gather.py`: values in order, an empty gather, `return_exceptions` with a cancelled
//! or failing child, one child failing while another runs on, two failing, and cancelling a
//! gather — including the edge timings where the gather is cancelled as its children start
//! and end. Errors print as MicroPython prints them (`ValueError(2,)`).

use super::prelude::*;

pub const EXPECTED: &str = "Task A: Compute factorial(2)...\nTask B: Compute factorial(2)...\nTask C: Compute factorial(2)...\nTask A: factorial(2) = 2\nTask B: Compute factorial(3)...\nTask C: Compute factorial(3)...\nTask B: factorial(3) = 6\nTask C: Compute factorial(4)...\nTask C: factorial(4) = 24\n[2, 6, 24]\n====\n[]\n====\nstart 2\nend 2\n[CancelledError(), 2]\n====\nstart 1\ntask_raise start 2\nend 1\ntask_raise raise 2\n[1, ValueError(2,)]\n====\ntask_loop start 1\ntask_raise start 2\ntask_loop loop 1\ntask_raise raise 2\nValueError(2,)\nFalse True\n====\ntask_raise start 1\ntask_raise start 2\ntask_raise raise 1\ntask_raise raise 2\nValueError(1,)\nTrue True\n====\ngather_task\nstart 1\nstart 2\n====\ngather_task\nstart 1\nstart 2\n====\ngather_task\nstart 1\nstart 2\nend 1\nend 2\n====\ngather_task\nstart 1\nstart 2\nend 1\nend 2\n";

type Value = Result<u64, Exc>;

async fn factorial(out: Out, name: &'static str, number: u64) -> Value {
    let mut f = 1;
    for i in 2..=number {
        say!(out, "Task {name}: Compute factorial({i})...");
        sleep_ms(10).await?;
        f *= i;
    }
    say!(out, "Task {name}: factorial({number}) = {f}");
    Ok(f)
}

async fn task(out: Out, id: u64, ms: u32) -> Value {
    say!(out, "start {id}");
    sleep_ms(ms).await?;
    say!(out, "end {id}");
    Ok(id)
}

async fn task_loop(out: Out, id: u64) -> Value {
    say!(out, "task_loop start {id}");
    loop {
        sleep_ms(100).await?;
        say!(out, "task_loop loop {id}");
    }
}

async fn task_raise(out: Out, id: u64, ms: u32) -> Value {
    say!(out, "task_raise start {id}");
    sleep_ms(ms).await?;
    say!(out, "task_raise raise {id}");
    Err(Exc::value(format!("{id},")))
}

async fn gather_task<A, B>(out: Out, t0: A, t1: B) -> Result<(), Exc>
where
    A: IntoTask,
    B: IntoTask,
    A::Output: TaskOutput<Err = Exc>,
    B::Output: TaskOutput<Err = Exc>,
{
    say!(out, "gather_task");
    gather((t0, t1)).await?;
    say!(out, "gather_task2");
    Ok(())
}

/// Python's list of results (values, or exceptions' reprs).
fn py_results(results: &[Value]) -> String {
    let items: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(v) => v.to_string(),
            Err(e) => e.to_string(),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let o = &out;
        // Simple gather with return values
        let values = gather(vec![
            factorial(o.clone(), "A", 2),
            factorial(o.clone(), "B", 3),
            factorial(o.clone(), "C", 4),
        ])
        .await?;
        say!(o, "{values:?}");

        say!(o, "====");

        // Gather with no awaitables
        say!(o, "{:?}", gather(Vec::<Task<Value>>::new()).await?);

        say!(o, "====");

        // Test return_exceptions, where one task is cancelled and the other finishes normally
        let tasks = vec![
            create_task(task(o.clone(), 1, 100)),
            create_task(task(o.clone(), 2, 100)),
        ];
        tasks[0].cancel();
        say!(
            o,
            "{}",
            py_results(&gather(tasks).return_exceptions().await?)
        );

        say!(o, "====");

        // Test return_exceptions, where one task raises an exception and the other finishes
        // normally.
        let tasks = vec![
            create_task(task(o.clone(), 1, 100)),
            create_task(task_raise(o.clone(), 2, 100)),
        ];
        say!(
            o,
            "{}",
            py_results(&gather(tasks).return_exceptions().await?)
        );

        say!(o, "====");

        // Test case where one task raises an exception and other task keeps running.
        let tasks = vec![
            create_task(task_loop(o.clone(), 1)),
            create_task(task_raise(o.clone(), 2, 100)),
        ];
        let refs: Vec<TaskRef> = tasks.iter().map(|t| t.to_ref()).collect();
        if let Err(e) = gather(tasks).await {
            say!(o, "{e}");
        }
        say!(o, "{} {}", py_bool(refs[0].done()), py_bool(refs[1].done()));
        for t in &refs {
            t.cancel();
        }
        sleep_ms(200).await?;

        say!(o, "====");

        // Test case where both tasks raise an exception.
        // Use t=0 so they raise one after the other, between the gather starting and finishing.
        let tasks = vec![
            create_task(task_raise(o.clone(), 1, 0)),
            create_task(task_raise(o.clone(), 2, 0)),
        ];
        let refs: Vec<TaskRef> = tasks.iter().map(|t| t.to_ref()).collect();
        if let Err(e) = gather(tasks).await {
            say!(o, "{e}");
        }
        say!(o, "{} {}", py_bool(refs[0].done()), py_bool(refs[1].done()));

        say!(o, "====");

        // Cancel a multi gather.
        let t = create_task(gather_task(
            o.clone(),
            task(o.clone(), 1, 100),
            task(o.clone(), 2, 100),
        ));
        sleep_ms(50).await?;
        t.cancel();
        sleep_ms(200).await?;

        // Test edge cases where the gather is cancelled just as tasks are created and ending.
        for i in 1..4 {
            say!(o, "====");
            let t = create_task(gather_task(
                o.clone(),
                task(o.clone(), 1, 0),
                task(o.clone(), 2, 0),
            ));
            for _ in 0..i {
                sleep_ms(0).await?;
            }
            t.cancel();
            sleep_ms(200).await?;
        }
        Ok::<_, Exc>(())
    })
    .unwrap()
    .unwrap();
}
