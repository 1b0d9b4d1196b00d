//! `net_inet/asyncio_cancel_stream.py`: cancelling a task blocked in a stream read. The
//! server is the host's (a local HTTP server on the host's port) instead of
//! micropython.org:80; like that one, it sends nothing before a request.

use super::prelude::*;
use asyncio::{create_task, yield_now};

async fn get(out: Out, mut reader: StreamReader) -> Result<()> {
    say!(out, "start");
    match reader.read(10).await {
        Ok(_) => say!(out, "fail"),
        Err(Error::Cancelled) => say!(out, "cancelled"),
        Err(e) => return Err(e),
    }
    Ok(())
}

pub async fn run(mt: &mut Multitest<'_>) -> Result<()> {
    let out = mt.out.clone();
    let (reader, mut writer) = open_connection("127.0.0.1", mt.port).await?;
    let task = create_task(get(out.clone(), reader));
    yield_now().await?;
    say!(out, "cancelling");
    task.cancel();
    say!(out, "waiting");
    task.await?;
    say!(out, "done");
    writer.close();
    writer.wait_closed().await
}
