//! `asyncio_fair.py`: tasks that only yield do not delay timed tasks: over 450 ms the 100 ms
//! task works 5 times and the 180 ms one 3 times. The yielding tasks burn 1 ms of CPU per turn,
//! as real code would (code takes no time on a simulated clock).

use super::prelude::*;

pub const EXPECTED: &str = "task start 1\ntask start 2\ntask work 2\ntask start 3\ntask work 3\ntask start 4\ntask work 2\ntask work 3\ntask work 2\ntask work 2\ntask work 3\ntask work 2\nfinish\n";

async fn task(out: Out, hooks: &'static dyn Hooks, id: u32, ms: Option<u32>) -> Result<()> {
    say!(out, "task start {id}");
    loop {
        match ms {
            Some(ms) => {
                say!(out, "task work {id}");
                sleep_ms(ms).await?;
            }
            None => {
                hooks.burn_ms(1);
                sleep_ms(0).await?;
            }
        }
    }
}

pub fn run(out: &Out, hooks: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let t1 = create_task(task(out.clone(), hooks, 1, None));
        let t2 = create_task(task(out.clone(), hooks, 2, Some(100)));
        let t3 = create_task(task(out.clone(), hooks, 3, Some(180)));
        let t4 = create_task(task(out.clone(), hooks, 4, None));
        sleep_ms(450).await?;
        t1.cancel();
        t2.cancel();
        t3.cancel();
        t4.cancel();
        say!(out, "finish");
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
