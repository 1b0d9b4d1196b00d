//! `net_hosted/asyncio_loopback.py`: a server and a client on one device talking over TCP
//! loopback. Differences:
//! - the port is the host's choice instead of 8080 (printed in two lines; the host expects
//!   its own);
//! - the client's and the handler's lines interleave differently, each task's own lines in
//!   the original's order: MicroPython waits for readiness before every stream read (its
//!   `read` yields to the I/O queue first), while here a read, like a write, tries the socket
//!   first and waits only if it would block, and `open_connection` returns once the connection
//!   is up rather than after another pass of the loop. The host checks each task's lines in
//!   order.

use super::prelude::*;

async fn client(out: Out, host: &str, port: u16) -> Result<()> {
    say!(out, "client open_connection to {host}:{port}");
    let (mut reader, mut writer) = open_connection(host, port).await?;
    let data_in = [b'A'; 100];
    say!(out, "client writing");
    writer.write(&data_in);
    writer.drain().await?;
    sleep_ms(100).await?;
    say!(out, "client reading");
    let data = reader.readexactly(100).await?;
    say!(out, "client got {} bytes", data.len());
    if data != data_in {
        return Err(Error::ValueError); // the original's assert
    }
    say!(out, "client closing");
    writer.close();
    writer.wait_closed().await?;
    say!(out, "client closed");
    Ok(())
}

async fn echo_handler(out: Out, mut reader: StreamReader, mut writer: StreamWriter) -> Result<()> {
    say!(out, "handler reading");
    sleep_ms(100).await?;
    let data = reader.readexactly(100).await?;
    say!(out, "handler got {} bytes", data.len());
    say!(out, "handler writing");
    writer.write(&data);
    writer.drain().await?;
    say!(out, "handler closing");
    writer.close();
    writer.wait_closed().await?;
    say!(out, "handler closed");
    Ok(())
}

pub async fn run(mt: &mut Multitest<'_>) -> Result<()> {
    let (out, port) = (mt.out.clone(), mt.port);
    say!(out, "create server on 0.0.0.0:{port}");
    let handler_out = out.clone();
    let server = start_server(
        move |r, w| echo_handler(handler_out.clone(), r, w),
        "0.0.0.0",
        port,
    )
    .await?;
    with_server(server, async {
        say!(out, "server started");
        client(out.clone(), "127.0.0.1", port).await
    })
    .await?;
    say!(out, "server closed");
    Ok(())
}
