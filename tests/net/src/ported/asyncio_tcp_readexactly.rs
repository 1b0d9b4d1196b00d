//! `multi_net/asyncio_tcp_readexactly.py`: `readexactly` across a pause in the data, of zero
//! bytes, and past the end of the stream (`EOFError`; here `Error::IncompleteRead`). Both
//! instances are ported.

use super::prelude::*;

async fn handle_connection(
    out: Out,
    ev: Rc<Event>,
    _reader: StreamReader,
    mut writer: StreamWriter,
) -> Result<()> {
    write_with_pause(&out, &ev, &mut writer, &[b"a", b"b", b"c", b"d"]).await
}

pub async fn instance0(mt: &mut Multitest<'_>) -> Result<()> {
    serve_until_done(mt, true, handle_connection).await
}

pub async fn instance1(mt: &mut Multitest<'_>) -> Result<()> {
    mt.next().await?;
    let out = mt.out.clone();
    let (mut reader, _writer) = open_connection("127.0.0.1", mt.port).await?;
    say!(out, "{}", py_bytes(&reader.readexactly(2).await?));
    say!(out, "{}", py_bytes(&reader.readexactly(0).await?));
    say!(out, "{}", py_bytes(&reader.readexactly(1).await?));
    match reader.readexactly(2).await {
        Ok(data) => say!(out, "{}", py_bytes(&data)),
        Err(Error::IncompleteRead { .. }) => say!(out, "EOFError"),
        Err(e) => return Err(e),
    }
    say!(out, "{}", py_bytes(&reader.readexactly(0).await?));
    Ok(())
}
