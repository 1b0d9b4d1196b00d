//! `net_hosted/asyncio_start_server.py`: two servers on one port, a server closed by leaving
//! its scope with an error, closing, and cancelling a task waiting on a server. Differences:
//! the original passes no connection callback (`None`); here it is one that does nothing
//! (no client connects). The port is the host's choice instead of 8000.

use super::prelude::*;
use asyncio::net::Server;
use asyncio::{create_task, yield_now};

async fn nothing(_r: StreamReader, _w: StreamWriter) -> Result<()> {
    Ok(())
}

async fn server(port: u16) -> Result<Server> {
    start_server(nothing, "0.0.0.0", port).await
}

async fn task(out: Out, n: u32, port: u16) -> Result<()> {
    say!(out, "create task server {n}");
    let srv = server(port).await?;
    srv.wait_closed().await?;
    // This should be unreachable.
    say!(out, "task finished");
    Ok(())
}

pub async fn run(mt: &mut Multitest<'_>) -> Result<()> {
    let (out, port) = (mt.out.clone(), mt.port);
    // Test creating 2 servers using the same address
    say!(out, "create server1");
    let server1 = server(port).await?;
    say!(out, "create server2");
    if let Err(Error::Os(_)) = server(port).await {
        say!(out, "OSError");
    }
    // Wait for server to close.
    with_server(server1, async {
        say!(out, "sleep");
        yield_now().await
    })
    .await?;

    // Test that cancellation works before the server starts if the subsequent code raises.
    say!(out, "create server3");
    let server3 = server(port).await?;
    let raised = with_server(server3, async { Err::<(), _>(Error::Os(-5)) }).await;
    if let Err(Error::Os(_)) = raised {
        say!(out, "OSError");
    }

    // Test that closing doesn't raise CancelledError.
    say!(out, "create server4");
    let mut server4 = server(port).await?;
    server4.close();
    server4.wait_closed().await?;
    say!(out, "server4 closed");

    // Test that cancelling the task will still raise CancelledError, checking edge cases
    // around how many times the tasks have been re-scheduled by sleep.
    for num_sleep in 0..5 {
        say!(out, "sleep {num_sleep}");
        let t = create_task(task(out.clone(), num_sleep, port));
        for _ in 0..num_sleep {
            yield_now().await?;
        }
        t.cancel();
        if let Err(Error::Cancelled) = t.await {
            say!(out, "CancelledError");
        }
    }
    say!(out, "done");
    Ok(())
}
