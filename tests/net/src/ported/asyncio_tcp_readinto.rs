//! `multi_net/asyncio_tcp_readinto.py`: `readinto` a byte buffer and a signed-byte array.
//! This device plays instance 1, the client; the host plays instance 0 (CPython's streams
//! have no `readinto`, so the host cannot play the client). The original's two last steps,
//! `readinto(5)` and `readinto()` raising `TypeError`, have no Rust counterpart: they do not
//! compile. Their two `TypeError` lines are not printed.

use super::prelude::*;

pub async fn instance1(mt: &mut Multitest<'_>) -> Result<()> {
    mt.next().await?;
    let out = mt.out.clone();
    let (mut reader, _writer) = open_connection("127.0.0.1", mt.port).await?;

    let mut ba = [0u8; 2];
    let n = reader.readinto(&mut ba).await?;
    say!(out, "{n}");
    say!(out, "bytearray({})", py_bytes(&ba[..n]));

    // array.array("b", [0, 0]): signed bytes, read into as raw bytes.
    let mut a = [0u8; 2];
    let n = reader.readinto(&mut a).await?;
    say!(out, "{n}");
    let items: alloc::vec::Vec<alloc::string::String> = a[..n]
        .iter()
        .map(|&b| alloc::format!("{}", b as i8))
        .collect();
    say!(out, "array('b', [{}])", items.join(", "));
    Ok(())
}
