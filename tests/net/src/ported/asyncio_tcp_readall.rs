//! `multi_net/asyncio_tcp_readall.py`: `read(-1)` (here `read_to_end`) across a pause in the
//! data, then at the end of the stream. Both instances are ported.

use super::prelude::*;

async fn handle_connection(
    out: Out,
    ev: Rc<Event>,
    _reader: StreamReader,
    mut writer: StreamWriter,
) -> Result<()> {
    write_with_pause(&out, &ev, &mut writer, &[b"a", b"b", b"c"]).await
}

pub async fn instance0(mt: &mut Multitest<'_>) -> Result<()> {
    serve_until_done(mt, true, handle_connection).await
}

pub async fn instance1(mt: &mut Multitest<'_>) -> Result<()> {
    mt.next().await?;
    let out = mt.out.clone();
    let (mut reader, _writer) = open_connection("127.0.0.1", mt.port).await?;
    say!(out, "{}", py_bytes(&reader.read_to_end().await?));
    say!(out, "{}", py_bytes(&reader.read_to_end().await?)); // should be empty
    say!(out, "{}", py_bytes(&reader.read(1).await?)); // should be empty
    Ok(())
}
