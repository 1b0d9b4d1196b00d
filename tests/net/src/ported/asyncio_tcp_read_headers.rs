//! `net_inet/asyncio_tcp_read_headers.py`: an HTTP GET read back line by line with
//! `readline`, printing the headers but the varying ones (Date, Modified, Server). The server
//! is a local one on the host's port, answering with the headers micropython.org sent when
//! the original's `.exp` was made, instead of micropython.org:80.

use super::prelude::*;

fn contains(line: &[u8], word: &[u8]) -> bool {
    line.windows(word.len()).any(|w| w == word)
}

pub async fn run(mt: &mut Multitest<'_>) -> Result<()> {
    let out = mt.out.clone();
    let (mut reader, mut writer) = http_get(mt).await?;
    loop {
        let line = reader.readline().await?;
        let line = line.trim_ascii();
        if line.is_empty() {
            break;
        }
        if !contains(line, b"Date") && !contains(line, b"Modified") && !contains(line, b"Server") {
            say!(out, "{}", py_bytes(line));
        }
    }
    say!(out, "close");
    writer.close();
    writer.wait_closed().await?;
    say!(out, "done");
    Ok(())
}
