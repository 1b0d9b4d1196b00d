//! UDP against host peers: `udp-sink` counts a flood of numbered datagrams, `udp-echo`
//! answers each datagram, and a datagram too big for the buffer is an error that loses
//! nothing else.

use alloc::format;
use alloc::string::String;
use alloc::vec;

use asyncio::net::{create_datagram_endpoint, StreamWriter};
use asyncio::{sleep_ms, timeout_ms, Error, Result};

/// How long the sink waits for the next datagram before it counts the rest as lost.
const QUIET_MS: u32 = 500;

async fn bound(control: &mut StreamWriter) -> Result<()> {
    control.write(b"udp bound\n");
    control.drain().await
}

/// `udp-sink <port> <count> <hold ms>`: receives datagrams numbered 0..count (a 4-byte
/// big-endian number first), starting `hold` ms after binding (a busy application: the
/// socket's buffer fills meanwhile), until all have come or none has for `QUIET_MS`; reports
/// how many arrived, how many never did, duplicates, and the endpoint's own count.
pub async fn sink(port: u16, count: u32, hold: u32, control: &mut StreamWriter) -> Result<String> {
    let endpoint = create_datagram_endpoint(Some(("127.0.0.1", port)), None).await?;
    bound(control).await?;
    sleep_ms(hold).await?;
    let mut seen = vec![false; count as usize];
    let (mut received, mut duplicates, mut malformed) = (0u32, 0u32, 0u32);
    let mut buf = [0u8; 64];
    while received < count {
        let n = match timeout_ms(QUIET_MS, endpoint.recv_from(&mut buf)).await {
            Ok((n, _)) => n,
            Err(Error::Timeout) => break,
            Err(e) => return Err(e),
        };
        let number = buf[..n.min(4)].try_into().map(u32::from_be_bytes);
        match number.ok().and_then(|i| seen.get_mut(i as usize)) {
            Some(true) => duplicates += 1,
            Some(flag) => {
                *flag = true;
                received += 1;
            }
            None => malformed += 1,
        }
    }
    Ok(format!(
        "received={received} lost={} duplicates={duplicates} malformed={malformed} counted={}",
        count - received,
        endpoint.counts().received
    ))
}

/// `udp-echo <port> <peer port>`: an endpoint tied to the peer answers each of its datagrams
/// with the same bytes, a too-big one with `truncated <size>`, until `quit`.
pub async fn echo(port: u16, peer: u16, control: &mut StreamWriter) -> Result<String> {
    let endpoint =
        create_datagram_endpoint(Some(("127.0.0.1", port)), Some(("127.0.0.1", peer))).await?;
    bound(control).await?;
    let mut buf = [0u8; 512];
    let (mut echoed, mut from_elsewhere) = (0u32, 0u32);
    loop {
        match endpoint.recv_from(&mut buf).await {
            Ok((n, _)) if &buf[..n] == b"quit" => break,
            Ok((n, from)) => {
                if Some(from) != endpoint.remote_addr() {
                    from_elsewhere += 1;
                }
                endpoint.send(&buf[..n]).await?;
                echoed += 1;
            }
            Err(Error::Truncated { size }) => {
                endpoint
                    .send(format!("truncated {size}").as_bytes())
                    .await?;
            }
            Err(e) => return Err(e),
        }
    }
    let counts = endpoint.counts();
    Ok(format!(
        "echoed={echoed} truncated={} from_elsewhere={from_elsewhere} sent={}",
        counts.truncated, counts.sent
    ))
}
