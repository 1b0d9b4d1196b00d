//! `asyncio_basic2.py`: `run()` returns the main task's value while another task still sleeps.

use super::prelude::*;

pub const EXPECTED: &str = "main start\nforever start\nmain done\n42\n";

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let main_out = out.clone();
    let value = asyncio_core::run(async move {
        say!(main_out, "main start");
        let forever = main_out.clone();
        let _forever = create_task(async move {
            say!(forever, "forever start");
            sleep_ms(10_000).await
        });
        sleep_ms(1).await?;
        say!(main_out, "main done");
        Ok::<_, Error>(42)
    });
    say!(out, "{}", value.unwrap().unwrap());
}
