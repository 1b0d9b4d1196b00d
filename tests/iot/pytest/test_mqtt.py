# asyncio::mqtt against a real mosquitto broker the test starts on a loopback port, and against
# fake brokers that stay silent, refuse, or send garbage: round trips at QoS 0, 1 and 2, QoS 1
# publications held while the broker is away and delivered after it returns, a full outbox
# that refuses at once, keep-alive pings, errors that cost a connection, never the app, and
# the same client over TLS to mosquitto's TLS listener.
import pytest

from conftest import Control
from mqtt_peer import (CONNACK_NOT_AUTHORIZED, CONNACK_OK, Broker, FakeBroker, Peer,
                       free_port)

PINGREQ, DISCONNECT = 12, 14


@pytest.fixture
def broker(tmp_path):
    broker = Broker(str(tmp_path))
    broker.start()
    yield broker
    broker.stop()


def test_round_trips_at_every_qos(control: Control, broker: Broker):
    host = Peer(broker.port, "host")
    host.subscribe("dev/out/#")
    assert control.ask(f"mqtt-open {broker.port} dev-1 30 100 8") == "opened"
    assert control.ask("mqtt-wait-connected 5000") == "connected"
    assert control.ask("mqtt-sub dev/in 1") == "granted"
    assert control.ask("mqtt-sub bad/#/filter 1") == "error value out of range"
    assert control.ask("mqtt-pub bad/+ 1 x") == "error value out of range"

    for qos, payload in enumerate(["zero", "one", "two"]):
        assert control.ask(f"mqtt-pub dev/out/{qos} {qos} {payload}") == "published"
    assert sorted(host.receive(3)) == [("dev/out/0", "zero"), ("dev/out/1", "one"),
                                       ("dev/out/2", "two")]

    host.publish("dev/in", "hello", qos=1)
    host.publish("dev/in", "again", qos=0)
    assert control.ask("mqtt-recv 5000") == "message dev/in 1 hello"
    assert control.ask("mqtt-recv 5000") == "message dev/in 0 again"
    assert control.ask("mqtt-recv 100") == "error timed out"

    counts = control.counts()
    assert (counts["connects"], counts["losses"], counts["published"], counts["received"],
            counts["queued"]) == (1, 0, 3, 2, 0)
    assert control.ask("mqtt-close") == "closed"
    host.close()


def test_qos1_held_while_the_broker_is_away(control: Control, broker: Broker):
    # A persistent session for the host's subscriber: the broker keeps what comes while it is
    # away too, across its own restart.
    host = Peer(broker.port, "keeper", clean=False)
    host.subscribe("dev/q", qos=1)
    assert control.ask(f"mqtt-open {broker.port} dev-2 30 100 16") == "opened"
    assert control.ask("mqtt-wait-connected 5000") == "connected"
    assert control.ask("mqtt-pub dev/q 1 before") == "published"
    assert host.receive(1) == [("dev/q", "before")]

    broker.stop()
    control.wait_counts(lambda c: c["connected"] == 0 and c["losses"] == 1)
    # 20 publications while the broker is away: the outbox holds 16, the other 4 are refused
    # at once, never dropped silently.
    assert control.ask("mqtt-burst dev/q 1 20") == "accepted=16 full=4"
    assert control.counts()["queued"] == 16

    broker.start()
    counts = control.wait_counts(lambda c: c["queued"] == 0)
    assert counts["connects"] == 2 and counts["published"] == 17
    host = Peer(broker.port, "keeper", clean=False)
    got = set()
    while len(got) < 16:
        topic, payload = host.receive(1)[0]
        assert topic == "dev/q"
        got.add(payload)  # QoS 1 may repeat one; it never loses one
    assert got == {str(i) for i in range(16)}
    assert control.ask("mqtt-close") == "closed"
    host.close()


def test_a_silent_broker_is_pinged_then_given_up(control: Control):
    # The first connection is accepted and then never answered; the second is never accepted.
    fake = FakeBroker(CONNACK_OK)
    assert control.ask(f"mqtt-open {fake.port} dev-3 2 100 4") == "opened"
    assert control.ask("mqtt-wait-connected 5000") == "connected"
    # Half the keep-alive of quiet: a PINGREQ; half more unanswered: lost, and a reconnect.
    fake.wait_for(lambda conns: len(conns) >= 2 and PINGREQ in conns[0])
    counts = control.wait_counts(lambda c: c["losses"] == 1)
    assert counts["pings"] >= 1 and counts["last_error"] == "timed out"
    # The second attempt gets no CONNACK: it ends by itself after a keep-alive interval.
    control.wait_counts(lambda c: c["attempts"] >= 3)
    fake.close()


def test_a_refusing_broker_is_an_error_and_retried(control: Control):
    fake = FakeBroker(CONNACK_NOT_AUTHORIZED, CONNACK_NOT_AUTHORIZED, CONNACK_NOT_AUTHORIZED)
    assert control.ask(f"mqtt-open {fake.port} dev-4 30 50 4") == "opened"
    counts = control.wait_counts(lambda c: c["attempts"] >= 3)
    assert counts["connects"] == 0 and counts["connected"] == 0
    assert counts["last_error"] == "the peer refused the request (reason code 0x87)"
    fake.close()

    # Nobody there at all.
    assert control.ask(f"mqtt-open {free_port()} dev-5 30 50 4") == "opened"
    counts = control.wait_counts(lambda c: c["attempts"] >= 2)
    assert counts["last_error"] == "connection refused"


def test_a_malformed_packet_costs_the_connection_only(control: Control):
    # A valid CONNACK, then a packet of the reserved type 0.
    fake = FakeBroker(CONNACK_OK + b"\x00\x00", CONNACK_OK)
    assert control.ask(f"mqtt-open {fake.port} dev-6 30 50 4") == "opened"
    counts = control.wait_counts(lambda c: c["losses"] == 1 and c["connected"] == 1)
    assert counts["connects"] == 2 and counts["last_error"] == "the peer broke the protocol"
    fake.wait_for(lambda conns: len(conns) == 2)
    # The app went on: the second connection works and the control port answers.
    assert control.ask("mqtt-close") == "closed"
    fake.wait_for(lambda conns: DISCONNECT in conns[1])
    fake.close()


def test_tls_round_trip_and_an_untrusted_broker(control: Control, tmp_path):
    """MQTT over TLS to mosquitto's TLS 1.3 listener: a round trip when the device trusts the
    broker's certificate; with another CA's certificate trusted instead, every attempt fails
    with a certificate error and nothing is published."""
    from tls_certs import NAME, certs
    ours, impostor = certs()
    broker = Broker(str(tmp_path), tls=ours)
    broker.start()
    try:
        host = Peer(broker.port, "tls-host")
        host.subscribe("dev/tls")
        assert control.ask(f"mqtt-open-tls {broker.tls_port} dev-tls {NAME} "
                           f"{ours.der.hex()}") == "opened"
        assert control.ask("mqtt-wait-connected 10000") == "connected"
        assert control.ask("mqtt-sub dev/tls/in 1") == "granted"
        assert control.ask("mqtt-pub dev/tls 1 sealed") == "published"
        assert host.receive(1) == [("dev/tls", "sealed")]
        host.publish("dev/tls/in", "opened", qos=1)
        assert control.ask("mqtt-recv 5000") == "message dev/tls/in 1 opened"
        assert control.ask("mqtt-close") == "closed"

        assert control.ask(f"mqtt-open-tls {broker.tls_port} dev-tls {NAME} "
                           f"{impostor.der.hex()}") == "opened"
        counts = control.wait_counts(lambda c: c["attempts"] >= 2)
        assert counts["connects"] == 0
        assert counts["last_error"] == "the peer's TLS certificate failed verification"
        assert control.ask("mqtt-close") == "closed"
        host.close()
    finally:
        broker.stop()
