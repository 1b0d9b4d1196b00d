//! A UART as a stream, against Zephyr's UART emulator as the peer: lines in random chunks,
//! a line over the limit, bytes arriving while nobody reads (kept up to the ring, then
//! reported as an overrun where they are missing), writes in order, and a cancelled reader
//! that leaves the UART closed.

use alloc::string::String;
use alloc::vec::Vec;

use asyncio::io::{StreamReader, StreamWriter};
use asyncio::uart::{open_uarts, Uart, UartRx, RX_RING};
use asyncio::{create_task, dt_node, sleep_ms, Error};
use zephyr::raw::device;
use zephyr_testkit::{check, check_eq, Suite};

use crate::common::{fail, run_case};

extern "C" {
    fn uart_emul_put_rx_data(dev: *const device, data: *const u8, size: usize) -> u32;
    fn uart_emul_get_tx_data(dev: *const device, data: *mut u8, size: usize) -> u32;
}

/// The emulator's side of `peer_uart`.
struct Peer(*const device);

impl Peer {
    fn new() -> Peer {
        // SAFETY: a NUL-terminated label; the device exists (the overlay's).
        Peer(unsafe { zephyr::raw::device_get_by_dt_nodelabel(c"peer_uart".as_ptr()) })
    }

    /// Sends `data` to the device (all of it fits in the emulator's FIFO).
    fn send(&self, data: &[u8]) {
        // SAFETY: a uart_emul device; `data` is valid for reads of its length.
        let put = unsafe { uart_emul_put_rx_data(self.0, data.as_ptr(), data.len()) };
        assert_eq!(put as usize, data.len());
    }

    /// What the device sent, so far.
    fn received(&self) -> Vec<u8> {
        let mut buf = [0u8; 64];
        let mut out = Vec::new();
        loop {
            // SAFETY: as for `send`.
            let n = unsafe { uart_emul_get_tx_data(self.0, buf.as_mut_ptr(), buf.len()) } as usize;
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }
}

/// A small deterministic generator for chunk sizes.
struct Lcg(u32);

impl Lcg {
    fn below(&mut self, n: u32) -> u32 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (self.0 >> 16) % n
    }
}

fn lines_in_random_chunks_arrive_whole() -> Result<(), String> {
    run_case(async {
        let (mut reader, _writer) = Uart::from_dt(dt_node!(peer_uart))
            .map_err(fail)?
            .into_streams();
        let lines: Vec<String> = (0..20)
            .map(|i| alloc::format!("line {i}: {}\n", "x".repeat(i * 3)))
            .collect();
        let all: Vec<u8> = lines.concat().into_bytes();
        let sender = create_task(async move {
            let peer = Peer::new();
            let mut rng = Lcg(7);
            let mut rest = &all[..];
            while !rest.is_empty() {
                let n = (1 + rng.below(24) as usize).min(rest.len());
                peer.send(&rest[..n]);
                rest = &rest[n..];
                sleep_ms(rng.below(3)).await?;
            }
            Ok::<_, Error>(())
        });
        for line in &lines {
            check_eq!(reader.readline().await.map_err(fail)?, line.as_bytes());
        }
        check_eq!(sender.await, Ok(()));
        Ok(())
    })
}

fn a_line_over_the_limit_is_an_error_and_the_rest_is_intact() -> Result<(), String> {
    run_case(async {
        let rx = Uart::from_dt(dt_node!(peer_uart)).map_err(fail)?.split().0;
        let mut reader = StreamReader::new(rx).with_line_limit(16);
        let long = "y".repeat(40);
        let sent = alloc::format!("short\n{long}\nnext\n");
        Peer::new().send(sent.as_bytes());
        let mut got = reader.readline().await.map_err(fail)?;
        check_eq!(got, b"short\n");
        // The long line: an error per 16 bytes without a newline; the bytes stay readable.
        let mut errors = 0;
        loop {
            match reader.readline().await {
                Err(Error::LineTooLong { limit: 16 }) => {
                    errors += 1;
                    // The limit's worth of the long line: still there, taken as they are.
                    got.extend(reader.read(16).await.map_err(fail)?);
                }
                Ok(line) => {
                    got.extend(line);
                    break;
                }
                Err(e) => return Err(fail(e)),
            }
        }
        check_eq!(errors, 2);
        got.extend(reader.readline().await.map_err(fail)?);
        check_eq!(got, sent.as_bytes());
        Ok(())
    })
}

fn bytes_nobody_reads_are_kept_up_to_the_ring_then_reported_as_an_overrun() -> Result<(), String> {
    run_case(async {
        let uart = Uart::from_dt(dt_node!(peer_uart)).map_err(fail)?;
        let (rx, _tx): (UartRx, _) = uart.split();
        let peer = Peer::new();
        let flood: Vec<u8> = (0..RX_RING + 36).map(|i| b'a' + (i % 26) as u8).collect();
        peer.send(&flood);
        sleep_ms(20).await.map_err(fail)?; // nobody reads meanwhile
        peer.send(b"after\n");
        sleep_ms(20).await.map_err(fail)?;
        check_eq!(rx.overrun_bytes(), 36 + 6);
        let mut reader = StreamReader::new(rx);
        let mut kept = Vec::new();
        while kept.len() < RX_RING {
            kept.extend(reader.read(RX_RING - kept.len()).await.map_err(fail)?);
        }
        check_eq!(kept, &flood[..RX_RING]);
        // Everything after the ring filled is missing, and said to be, right there.
        check_eq!(reader.read(10).await, Err(Error::Overrun { lost: 42 }));
        peer.send(b"fresh\n");
        check_eq!(reader.readline().await.map_err(fail)?, b"fresh\n");
        Ok(())
    })
}

fn writes_reach_the_peer_whole_and_in_order() -> Result<(), String> {
    run_case(async {
        let (_reader, mut writer): (_, StreamWriter<_>) = Uart::from_dt(dt_node!(peer_uart))
            .map_err(fail)?
            .into_streams();
        let peer = Peer::new();
        let message: Vec<u8> = (0..1000u32).map(|i| b'0' + (i % 10) as u8).collect();
        // Through a 32-byte transmit ring: each drain waits for the interrupt to take bytes.
        for chunk in message.chunks(100) {
            writer.write(chunk);
            writer.drain().await.map_err(fail)?;
        }
        let seen = peer.received();
        check_eq!(seen.len(), message.len());
        check!(seen == message, "the bytes arrived out of order");
        Ok(())
    })
}

fn a_cancelled_reader_leaves_the_uart_closed() -> Result<(), String> {
    run_case(async {
        check_eq!(open_uarts(), 0);
        let reader = create_task(async {
            let (mut reader, _writer) = Uart::from_dt(dt_node!(peer_uart))?.into_streams();
            reader.readline().await.map(drop)
        });
        sleep_ms(5).await.map_err(fail)?;
        check_eq!(open_uarts(), 1);
        // One adapter per UART.
        check_eq!(
            Uart::from_dt(dt_node!(peer_uart)).err(),
            Some(Error::Busy { label: "peer_uart" })
        );
        reader.cancel();
        check_eq!(reader.await, Err(Error::Cancelled));
        check_eq!(open_uarts(), 0);
        // Open again: its handler receives.
        let (mut reader, _writer) = Uart::from_dt(dt_node!(peer_uart))
            .map_err(fail)?
            .into_streams();
        Peer::new().send(b"again\n");
        check_eq!(reader.readline().await.map_err(fail)?, b"again\n");
        check_eq!(
            Uart::from_dt(dt_node!(button0)).err(),
            Some(Error::NoDevice { label: "button0" })
        );
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "lines_in_random_chunks_arrive_whole",
        lines_in_random_chunks_arrive_whole,
    );
    suite.case(
        "a_line_over_the_limit_is_an_error_and_the_rest_is_intact",
        a_line_over_the_limit_is_an_error_and_the_rest_is_intact,
    );
    suite.case(
        "bytes_nobody_reads_are_kept_up_to_the_ring_then_reported_as_an_overrun",
        bytes_nobody_reads_are_kept_up_to_the_ring_then_reported_as_an_overrun,
    );
    suite.case(
        "writes_reach_the_peer_whole_and_in_order",
        writes_reach_the_peer_whole_and_in_order,
    );
    suite.case(
        "a_cancelled_reader_leaves_the_uart_closed",
        a_cancelled_reader_leaves_the_uart_closed,
    );
}
