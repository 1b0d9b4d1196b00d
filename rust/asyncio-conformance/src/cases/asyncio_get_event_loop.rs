//! `asyncio_get_event_loop.py`: `get_event_loop().run_until_complete(main())`.

use super::prelude::*;

pub const EXPECTED: &str = "start\nend\n";

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    let lp = get_event_loop();
    lp.run_until_complete(async move {
        say!(out, "start");
        sleep_ms(10).await?;
        say!(out, "end");
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
