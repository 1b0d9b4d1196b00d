//! MQTT commands: one client at a time, against the broker (or fake) the host names.
//!
//! - `mqtt-open <port> <client id> <keep-alive s> <backoff ms> <outbox>`: a new client for
//!   127.0.0.1:`port` (the old one, if any, is dropped); answers `opened`;
//! - `mqtt-open-tls <port> <client id> <server name> <CA hex>`: the same over TLS, trusting
//!   the CA (a DER certificate, in hex) for the server name;
//! - `mqtt-wait-connected <ms>`: `connected`, or `error timed out`;
//! - `mqtt-sub <filter> <qos>`: `granted` once the broker granted it;
//! - `mqtt-pub <topic> <qos> <payload>`: `published` once the broker took it;
//! - `mqtt-burst <topic> <qos> <count>`: `count` publications (payloads `0`..`count-1`),
//!   each by a task of its own that is not awaited; answers `accepted=a full=f`, how many the
//!   outbox took and how many it refused with `QueueFull` at once;
//! - `mqtt-recv <ms>`: the next incoming message as `message <topic> <qos> <payload>`;
//! - `mqtt-counts`: the client's counts, `queued`, `connected` and `last_error` (`-` if none);
//! - `mqtt-close`: closes the client (DISCONNECT); answers `closed`.

use alloc::format;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use core::cell::{Cell, RefCell};

use asyncio::mqtt::{Client, Config, QoS};
use asyncio::net::Tcp;
use asyncio::tls::Config as TlsConfig;
use asyncio::{create_task, timeout_ms, yield_now, Error, Result};

/// The current client. The control connection's task is the only user.
struct Current(RefCell<Option<Rc<Client>>>);

// SAFETY: the app has one thread with tasks (the loop's); nothing else touches it.
unsafe impl Sync for Current {}

static CURRENT: Current = Current(RefCell::new(None));

fn client() -> Result<Rc<Client>> {
    CURRENT.0.borrow().clone().ok_or(Error::ValueError)
}

fn qos(word: &str) -> Result<QoS> {
    match word {
        "0" => Ok(QoS::AtMostOnce),
        "1" => Ok(QoS::AtLeastOnce),
        "2" => Ok(QoS::ExactlyOnce),
        _ => Err(Error::ValueError),
    }
}

fn number<T: core::str::FromStr>(word: &str) -> Result<T> {
    word.parse().map_err(|_| Error::ValueError)
}

/// Runs `words` if it is an MQTT command.
pub async fn command(words: &[&str]) -> Option<Result<String>> {
    Some(match *words {
        ["mqtt-open", port, id, keep_alive, backoff, outbox] => {
            open(port, id, keep_alive, backoff, outbox)
        }
        ["mqtt-open-tls", port, id, name, ca] => open_tls(port, id, name, ca),
        ["mqtt-wait-connected", ms] => wait_connected(ms).await,
        ["mqtt-sub", filter, level] => subscribe(filter, level).await,
        ["mqtt-pub", topic, level, payload] => publish(topic, level, payload).await,
        ["mqtt-burst", topic, level, count] => burst(topic, level, count).await,
        ["mqtt-recv", ms] => recv(ms).await,
        ["mqtt-counts"] => counts(),
        ["mqtt-close"] => close().await,
        _ => return None,
    })
}

fn open(port: &str, id: &str, keep_alive: &str, backoff: &str, outbox: &str) -> Result<String> {
    let backoff: u32 = number(backoff)?;
    let config = Config {
        keep_alive_s: number(keep_alive)?,
        backoff_ms: backoff,
        backoff_max_ms: backoff * 4,
        outbox: number(outbox)?,
        ..Config::new(id)
    };
    install(Client::new(Tcp::new("127.0.0.1", number(port)?), config))
}

fn open_tls(port: &str, id: &str, name: &str, ca: &str) -> Result<String> {
    let ca = zephyr_testkit::from_hex(ca).ok_or(Error::ValueError)?;
    let broker = asyncio::tls::connector("127.0.0.1", number(port)?, TlsConfig::new(&ca, name));
    let config = Config {
        backoff_ms: 100,
        backoff_max_ms: 400,
        ..Config::new(id)
    };
    install(Client::new(broker, config))
}

/// Makes `client` the current one (the old one, if any, is dropped).
fn install(client: Client) -> Result<String> {
    *CURRENT.0.borrow_mut() = Some(Rc::new(client));
    Ok("opened".into())
}

async fn wait_connected(ms: &str) -> Result<String> {
    let client = client()?;
    timeout_ms(number(ms)?, client.wait_connected()).await?;
    Ok("connected".into())
}

async fn subscribe(filter: &str, level: &str) -> Result<String> {
    client()?.subscribe(filter, qos(level)?).await?;
    Ok("granted".into())
}

async fn publish(topic: &str, level: &str, payload: &str) -> Result<String> {
    client()?
        .publish(topic, payload.as_bytes(), qos(level)?)
        .await?;
    Ok("published".into())
}

async fn burst(topic: &str, level: &str, count: &str) -> Result<String> {
    let (client, level, count) = (client()?, qos(level)?, number::<u32>(count)?);
    let refused = Rc::new(Cell::new(0u32));
    for i in 0..count {
        let (client, topic, refused) = (client.clone(), String::from(topic), refused.clone());
        let _ = create_task(async move {
            let outcome = client
                .publish(&topic, i.to_string().as_bytes(), level)
                .await;
            if outcome == Err(Error::QueueFull) {
                refused.set(refused.get() + 1);
            }
        });
    }
    // Each task's first poll queues its publication or is refused at once.
    yield_now().await?;
    let full = refused.get();
    Ok(format!("accepted={} full={full}", count - full))
}

async fn recv(ms: &str) -> Result<String> {
    let message = timeout_ms(number(ms)?, client()?.recv()).await?;
    Ok(format!(
        "message {} {} {}",
        message.topic,
        message.qos as u8,
        String::from_utf8_lossy(&message.payload)
    ))
}

fn counts() -> Result<String> {
    let client = client()?;
    let c = client.counts();
    let last_error = client.last_error().map_or("-".into(), |e| e.to_string());
    Ok(format!(
        "attempts={} connects={} losses={} published={} resent={} rejected={} received={} \
         pings={} queued={} connected={} last_error={last_error}",
        c.attempts,
        c.connects,
        c.losses,
        c.published,
        c.resent,
        c.rejected,
        c.received,
        c.pings,
        client.queued(),
        client.is_connected() as u8,
    ))
}

async fn close() -> Result<String> {
    let client = CURRENT.0.borrow_mut().take().ok_or(Error::ValueError)?;
    match Rc::try_unwrap(client) {
        Ok(client) => client.close().await?,
        Err(_) => return Err(Error::Busy { label: "mqtt" }),
    }
    Ok("closed".into())
}
