/*
 * Zephyr's MQTT and HTTP client libraries on the IoT benchmarks' workloads (scripts/bench iot):
 * `count` x 10 QoS 0 publications, `count` QoS 1 publications each waited for (its PUBACK), and
 * `count` HTTP GETs each on a new connection, on topics `bench/c/qos0` and `bench/c/qos1`;
 * one `bench-iot` line per workload, as the Rust image prints them. The host times the
 * workloads by when the messages and requests arrive (native_sim's clock stands still while
 * the CPU is busy).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zephyr/kernel.h>
#include <zephyr/net/socket.h>
#include <zephyr/net/mqtt.h>
#include <zephyr/net/http/client.h>

uint16_t bench_mqtt_port(void);
uint16_t bench_http_port(void);
uint32_t bench_count(void);
void bench_exit(int code);

static uint8_t rx_buffer[512], tx_buffer[512], http_buffer[1024];
static struct mqtt_client client;
static struct sockaddr_storage broker;
static bool connected;
static uint32_t acked;

static void on_mqtt(struct mqtt_client *c, const struct mqtt_evt *evt)
{
	if (evt->type == MQTT_EVT_CONNACK) {
		connected = evt->result == 0;
	} else if (evt->type == MQTT_EVT_PUBACK) {
		acked++;
	}
}

/* Waits for the broker's next packet and handles it. */
static int input(void)
{
	struct zsock_pollfd fd = { .fd = client.transport.tcp.sock, .events = ZSOCK_POLLIN };

	if (zsock_poll(&fd, 1, 5000) <= 0) {
		return -ETIMEDOUT;
	}
	return mqtt_input(&client);
}

static void loopback(struct sockaddr_in *to, uint16_t port)
{
	to->sin_family = AF_INET;
	to->sin_port = htons(port);
	zsock_inet_pton(AF_INET, "127.0.0.1", &to->sin_addr);
}

static int publish(uint32_t i, enum mqtt_qos qos)
{
	char payload[16];
	const char *topic = qos == MQTT_QOS_0_AT_MOST_ONCE ? "bench/c/qos0" : "bench/c/qos1";
	struct mqtt_publish_param param = { 0 };

	snprintf(payload, sizeof(payload), "%u", i);
	param.message.topic.topic.utf8 = (const uint8_t *)topic;
	param.message.topic.topic.size = strlen(topic);
	param.message.topic.qos = qos;
	param.message.payload.data = (uint8_t *)payload;
	param.message.payload.len = strlen(payload);
	param.message_id = (uint16_t)(i % 65535 + 1);
	return mqtt_publish(&client, &param);
}

static int bench_mqtt(uint32_t count)
{
	mqtt_client_init(&client);
	loopback((struct sockaddr_in *)&broker, bench_mqtt_port());
	client.broker = &broker;
	client.evt_cb = on_mqtt;
	client.client_id.utf8 = (const uint8_t *)"bench-c";
	client.client_id.size = strlen("bench-c");
	client.protocol_version = MQTT_VERSION_5_0;
	client.rx_buf = rx_buffer;
	client.rx_buf_size = sizeof(rx_buffer);
	client.tx_buf = tx_buffer;
	client.tx_buf_size = sizeof(tx_buffer);
	client.transport.type = MQTT_TRANSPORT_NON_SECURE;
	if (mqtt_connect(&client) != 0) {
		return -ECONNREFUSED;
	}
	while (!connected) {
		if (input() < 0) {
			return -ECONNREFUSED;
		}
	}

	int64_t start = k_uptime_get();
	for (uint32_t i = 0; i < count * 10; i++) {
		if (publish(i, MQTT_QOS_0_AT_MOST_ONCE) != 0) {
			return -EIO;
		}
	}
	printf("bench-iot mqtt-qos0 %u %lld\n", count * 10, (long long)(k_uptime_get() - start));

	start = k_uptime_get();
	for (uint32_t i = 0; i < count; i++) {
		if (publish(i, MQTT_QOS_1_AT_LEAST_ONCE) != 0) {
			return -EIO;
		}
		while (acked < i + 1) {
			if (input() < 0) {
				return -EIO;
			}
		}
	}
	printf("bench-iot mqtt-qos1 %u %lld\n", count, (long long)(k_uptime_get() - start));
	return mqtt_disconnect(&client, NULL);
}

static int on_response(struct http_response *rsp, enum http_final_call final, void *user_data)
{
	if (final == HTTP_DATA_FINAL) {
		*(int *)user_data = rsp->http_status_code;
	}
	return 0;
}

static int bench_http(uint32_t count)
{
	int64_t start = k_uptime_get();

	for (uint32_t i = 0; i < count; i++) {
		struct sockaddr_in to = { 0 };
		int status = 0;
		int sock = zsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

		loopback(&to, bench_http_port());
		if (sock < 0 || zsock_connect(sock, (struct sockaddr *)&to, sizeof(to)) < 0) {
			return -ECONNREFUSED;
		}
		struct http_request req = {
			.method = HTTP_GET,
			.url = "/",
			.host = "127.0.0.1",
			.protocol = "HTTP/1.1",
			.response = on_response,
			.recv_buf = http_buffer,
			.recv_buf_len = sizeof(http_buffer),
		};
		int rc = http_client_req(sock, &req, 5000, &status);

		zsock_close(sock);
		if (rc < 0 || status != 200) {
			return -EIO;
		}
	}
	printf("bench-iot http-get %u %lld\n", count, (long long)(k_uptime_get() - start));
	return 0;
}

int main(void)
{
	uint32_t count = bench_count();
	int rc = bench_mqtt(count);

	if (rc == 0) {
		rc = bench_http(count);
	}
	printf("bench-iot done %d\n", rc);
	bench_exit(rc == 0 ? 0 : 1);
	return 0;
}
