//! `asyncio_wait_for_linked_task.py` (MicroPython issue #16759): tasks waiting on a chain of
//! tasks, awaited both from a task and with a blocking `run_until_complete(task)`. A task
//! awaited by several tasks is waited for through `TaskRef::wait()`.

use super::prelude::*;

pub const EXPECTED: &str = "--- async test\ntask0 work completed\n-> task0 done\ntask1 work completed\ntask2 work completed\n-> task2 done\n--- sync test\ntask0 work completed\n-> task0 done\ntask1 work completed\ntask2 work completed\n-> task2 done\n";

struct Worker {
    tasks: Vec<TaskRef>,
}

async fn job(out: Out, prerequisite: Option<TaskRef>, task_name: &'static str) -> Result<()> {
    if let Some(prerequisite) = prerequisite {
        prerequisite.wait().await?;
    }
    sleep_ms(100).await?;
    say!(out, "{task_name} work completed");
    Ok(())
}

impl Worker {
    fn plan_tasks(out: &Out) -> Self {
        let lp = get_event_loop();
        let t0 = lp.create_task(job(out.clone(), None, "task0")).to_ref();
        let t1 = lp
            .create_task(job(out.clone(), Some(t0.clone()), "task1"))
            .to_ref();
        let t2 = lp
            .create_task(job(out.clone(), Some(t1.clone()), "task2"))
            .to_ref();
        Worker {
            tasks: vec![t0, t1, t2],
        }
    }

    fn sync_wait_for_task(&self, idx: usize) {
        let task = self.tasks[idx].clone();
        get_event_loop()
            .run_until_complete(async move { task.wait().await })
            .unwrap()
            .unwrap();
    }
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let o = out.clone();
    get_event_loop()
        .run_until_complete(async move {
            say!(o, "--- async test");
            let worker = Worker::plan_tasks(&o);
            worker.tasks[0].wait().await?;
            say!(o, "-> task0 done");
            worker.tasks[2].wait().await?;
            say!(o, "-> task2 done");
            Ok::<_, Error>(())
        })
        .unwrap()
        .unwrap();

    say!(out, "--- sync test");
    let worker = Worker::plan_tasks(out);
    worker.sync_wait_for_task(0);
    say!(out, "-> task0 done");
    worker.sync_wait_for_task(2);
    say!(out, "-> task2 done");
}
