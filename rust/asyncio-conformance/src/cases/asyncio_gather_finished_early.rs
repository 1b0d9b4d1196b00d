//! `asyncio_gather_finished_early.py`: gathering tasks that finished (or failed) before the
//! gather started, with and without a task still running and `return_exceptions`.

use super::prelude::*;

pub const EXPECTED: &str = "== start False False False\ntask_that_finishes_early a\ntask_that_finishes_early b\n('complete', [None, None])\n== start False False True\ntask_that_finishes_early a\ntask_that_finishes_early b\n('complete', [None, None])\n== start False True False\ntask_that_finishes_early a\ntask_that_finishes_early b\n('exception', ValueError('intentional exception', 'a'), False)\n== start False True True\ntask_that_finishes_early a\ntask_that_finishes_early b\n('complete', [ValueError('intentional exception', 'a'), ValueError('intentional exception', 'b')])\n== start True False False\ntask_that_runs 0\ntask_that_finishes_early a\ntask_that_finishes_early b\ntask_that_runs 1\ntask_that_runs 2\ntask_that_runs 3\ntask_that_runs 4\n('complete', [None, None, None])\n== start True False True\ntask_that_runs 0\ntask_that_finishes_early a\ntask_that_finishes_early b\ntask_that_runs 1\ntask_that_runs 2\ntask_that_runs 3\ntask_that_runs 4\n('complete', [None, None, None])\n== start True True False\ntask_that_runs 0\ntask_that_finishes_early a\ntask_that_finishes_early b\ntask_that_runs 1\ntask_that_runs 2\ntask_that_runs 3\ntask_that_runs 4\n('exception', ValueError('intentional exception', 'a'), False)\n== start True True True\ntask_that_runs 0\ntask_that_finishes_early a\ntask_that_finishes_early b\ntask_that_runs 1\ntask_that_runs 2\ntask_that_runs 3\ntask_that_runs 4\n('complete', [None, ValueError('intentional exception', 'a'), ValueError('intentional exception', 'b')])\n";

async fn task_that_finishes_early(
    out: Out,
    id: &str,
    event: Rc<Event>,
    fail: bool,
) -> Result<(), Exc> {
    say!(out, "task_that_finishes_early {id}");
    event.set();
    if fail {
        return Err(Exc::value(format!("'intentional exception', '{id}'")));
    }
    Ok(())
}

async fn task_that_runs(out: Out) -> Result<(), Exc> {
    for i in 0..5 {
        say!(out, "task_that_runs {i}");
        sleep_ms(0).await?;
    }
    Ok(())
}

fn py(result: &Result<(), Exc>) -> String {
    match result {
        Ok(()) => "None".into(),
        Err(e) => e.to_string(),
    }
}

async fn main(
    out: Out,
    start_task_that_runs: bool,
    task_fail: bool,
    return_exceptions: bool,
) -> Result<(), Exc> {
    say!(
        out,
        "== start {} {} {}",
        py_bool(start_task_that_runs),
        py_bool(task_fail),
        py_bool(return_exceptions)
    );
    // Suppress the report of the task whose failure the gather does not retrieve.
    get_event_loop().set_exception_handler(Some(Rc::new(|_, _| {})));
    let event_a = Rc::new(Event::new());
    let event_b = Rc::new(Event::new());
    let mut tasks = Vec::new();
    if start_task_that_runs {
        tasks.push(create_task(task_that_runs(out.clone())));
    }
    tasks.push(create_task(task_that_finishes_early(
        out.clone(),
        "a",
        event_a.clone(),
        task_fail,
    )));
    tasks.push(create_task(task_that_finishes_early(
        out.clone(),
        "b",
        event_b.clone(),
        task_fail,
    )));
    let refs: Vec<TaskRef> = tasks.iter().map(|t| t.to_ref()).collect();

    // Make sure task_that_finishes_early() are both done, before calling gather().
    event_a.wait().await?;
    event_b.wait().await?;

    let result = if return_exceptions {
        let results = gather(tasks).return_exceptions().await?;
        let items: Vec<String> = results.iter().map(py).collect();
        format!("('complete', [{}])", items.join(", "))
    } else {
        match gather(tasks).await {
            Ok(values) => {
                let items: Vec<&str> = values.iter().map(|_| "None").collect();
                format!("('complete', [{}])", items.join(", "))
            }
            Err(e) => format!(
                "('exception', {e}, {})",
                py_bool(start_task_that_runs && refs[0].done())
            ),
        }
    };

    // Wait for the final task to finish (if it was started).
    if start_task_that_runs {
        refs[0].wait().await?;
    }
    say!(out, "{result}");
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    for i in 0..8 {
        asyncio_core::run(main(out.clone(), i & 4 != 0, i & 2 != 0, i & 1 != 0))
            .unwrap()
            .unwrap();
    }
}
