/*
 * C glue of asyncio::net (rust/zephyr-asyncio/src/net/): non-blocking zsock_* calls that
 * return a negative errno instead of setting errno, an address type both languages share, and
 * the fd-table poll hooks that let a socket's k_poll events join the loop's k_poll.
 *
 * The Rust side is generated from this header by bindgen (rust/zephyr-asyncio-sys).
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#ifndef ZEPHYR_ASYNCIO_SOCKETS_H
#define ZEPHYR_ASYNCIO_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct k_poll_event;

/* An IPv4 or IPv6 address and port, in host byte order except for the address bytes. */
struct asyncio_sockaddr {
	uint8_t family; /* 4 or 6 */
	uint16_t port;
	uint8_t addr[16]; /* IPv4 uses the first 4 bytes */
};

/* What a failed call means to a stream; the rest is reported as a plain errno. */
enum asyncio_socket_error {
	ASYNCIO_SOCKET_OTHER = 0,
	ASYNCIO_SOCKET_WOULD_BLOCK, /* EAGAIN, EWOULDBLOCK */
	ASYNCIO_SOCKET_IN_PROGRESS, /* EINPROGRESS, EALREADY (connect) */
	ASYNCIO_SOCKET_REFUSED,     /* ECONNREFUSED */
	ASYNCIO_SOCKET_RESET,       /* ECONNRESET, EPIPE, ECONNABORTED, ENOTCONN */
	ASYNCIO_SOCKET_NOT_POLLABLE, /* EXDEV from the poll hooks: an offloaded socket */
	ASYNCIO_SOCKET_READY_NOW,   /* EALREADY from the poll hooks: ready before waiting */
};

/* Poll interest, as in zsock_pollfd.events. */
#define ASYNCIO_SOCKET_POLLIN 1
#define ASYNCIO_SOCKET_POLLOUT 4

enum asyncio_socket_error asyncio_socket_classify(int neg_errno);

/* A non-blocking TCP socket (a UDP one if `datagram`) of the address's family: an fd, or
 * -errno. */
int asyncio_socket_open(uint8_t family, bool datagram);
/* 0 (connected), or -errno: -EINPROGRESS while connecting. */
int asyncio_socket_connect(int fd, const struct asyncio_sockaddr *to);
/* The outcome of a connect that was in progress: 0 or -errno (SO_ERROR). */
int asyncio_socket_connect_result(int fd);
/* SO_REUSEADDR and bind: 0 or -errno. */
int asyncio_socket_bind(int fd, const struct asyncio_sockaddr *at);
/* SO_REUSEADDR, bind and listen: 0 or -errno. */
int asyncio_socket_listen(int fd, const struct asyncio_sockaddr *at, int backlog);
/* A non-blocking connected socket and its peer, or -errno. */
int asyncio_socket_accept(int fd, struct asyncio_sockaddr *peer);
/* Bytes received (0 at the end of the stream), or -errno; never blocks. */
int asyncio_socket_recv(int fd, uint8_t *buf, size_t len);
/* Bytes sent, or -errno; never blocks. */
int asyncio_socket_send(int fd, const uint8_t *buf, size_t len);
/* One datagram to `to`: bytes sent (all of them), or -errno; never blocks. */
int asyncio_socket_sendto(int fd, const uint8_t *buf, size_t len, const struct asyncio_sockaddr *to);
/* One datagram into buf[0..len] and its sender: the datagram's whole length (above len when it
 * was cut to fit), or -errno; never blocks. */
int asyncio_socket_recvfrom(int fd, uint8_t *buf, size_t len, struct asyncio_sockaddr *from);
int asyncio_socket_close(int fd);
/* Blocking name resolution (getaddrinfo), for the offload work queue: 0, or -1 if not found. */
int asyncio_socket_resolve(const char *host, uint16_t port, struct asyncio_sockaddr *out);

/*
 * Puts the k_poll events that report `events` on `fd` into ev[0..capacity] (unused ones stay
 * K_POLL_TYPE_IGNORE). 0, or -EALREADY (already ready: prepared all the same, update it at
 * once), -EXDEV (the socket cannot be k_polled; nothing prepared), or another -errno.
 */
int asyncio_socket_poll_prepare(int fd, int events, struct k_poll_event *ev, int capacity);
/*
 * After a k_poll over prepared events: ends the preparation and stores what is ready in
 * *revents (ZSOCK_POLL* bits). 0, or -EAGAIN (nothing was really ready), or another -errno.
 */
int asyncio_socket_poll_update(int fd, int events, struct k_poll_event *ev, int *revents);

/* zsock_poll revents bits that concern both directions. */
extern const int asyncio_socket_pollerr;

#endif /* ZEPHYR_ASYNCIO_SOCKETS_H */
