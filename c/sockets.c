/*
 * C glue of asyncio::net: see sockets.h.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <errno.h>
#include <string.h>

#include <zephyr/kernel.h>
#include <zephyr/net/socket.h>
#include <zephyr/sys/fdtable.h>

#include "sockets.h"

BUILD_ASSERT(ASYNCIO_SOCKET_POLLIN == ZSOCK_POLLIN && ASYNCIO_SOCKET_POLLOUT == ZSOCK_POLLOUT);

const int asyncio_socket_pollerr = ZSOCK_POLLERR | ZSOCK_POLLHUP | ZSOCK_POLLNVAL;

enum asyncio_socket_error asyncio_socket_classify(int neg_errno)
{
	switch (-neg_errno) {
	case EAGAIN:
#if EWOULDBLOCK != EAGAIN
	case EWOULDBLOCK:
#endif
		return ASYNCIO_SOCKET_WOULD_BLOCK;
	case EINPROGRESS:
		return ASYNCIO_SOCKET_IN_PROGRESS;
	case ECONNREFUSED:
		return ASYNCIO_SOCKET_REFUSED;
	case ECONNRESET:
	case EPIPE:
	case ECONNABORTED:
	case ENOTCONN:
		return ASYNCIO_SOCKET_RESET;
	case EXDEV:
		return ASYNCIO_SOCKET_NOT_POLLABLE;
	case EALREADY:
		return ASYNCIO_SOCKET_READY_NOW;
	default:
		return ASYNCIO_SOCKET_OTHER;
	}
}

static socklen_t to_sockaddr(const struct asyncio_sockaddr *in, struct sockaddr_storage *out)
{
	memset(out, 0, sizeof(*out));
	if (in->family == 6) {
#if defined(CONFIG_NET_IPV6)
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(in->port);
		memcpy(&sin6->sin6_addr, in->addr, 16);
		return sizeof(*sin6);
#else
		return 0;
#endif
	}
	struct sockaddr_in *sin = (struct sockaddr_in *)out;

	sin->sin_family = AF_INET;
	sin->sin_port = htons(in->port);
	memcpy(&sin->sin_addr, in->addr, 4);
	return sizeof(*sin);
}

static void from_sockaddr(const struct sockaddr *in, struct asyncio_sockaddr *out)
{
	memset(out, 0, sizeof(*out));
#if defined(CONFIG_NET_IPV6)
	if (in->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)in;

		out->family = 6;
		out->port = ntohs(sin6->sin6_port);
		memcpy(out->addr, &sin6->sin6_addr, 16);
		return;
	}
#endif
	const struct sockaddr_in *sin = (const struct sockaddr_in *)in;

	out->family = 4;
	out->port = ntohs(sin->sin_port);
	memcpy(out->addr, &sin->sin_addr, 4);
}

static int set_nonblocking(int fd)
{
	int flags = zsock_fcntl(fd, ZVFS_F_GETFL, 0);

	if (flags < 0 || zsock_fcntl(fd, ZVFS_F_SETFL, flags | ZVFS_O_NONBLOCK) < 0) {
		return -errno;
	}
	return 0;
}

int asyncio_socket_open(uint8_t family, bool datagram)
{
	int fd = zsock_socket(family == 6 ? AF_INET6 : AF_INET, datagram ? SOCK_DGRAM : SOCK_STREAM,
			      datagram ? IPPROTO_UDP : IPPROTO_TCP);
	int ret;

	if (fd < 0) {
		return -errno;
	}
	ret = set_nonblocking(fd);
	if (ret < 0) {
		zsock_close(fd);
		return ret;
	}
	return fd;
}

int asyncio_socket_connect(int fd, const struct asyncio_sockaddr *to)
{
	struct sockaddr_storage addr;
	socklen_t len = to_sockaddr(to, &addr);

	if (len == 0) {
		return -EAFNOSUPPORT;
	}
	return zsock_connect(fd, (struct sockaddr *)&addr, len) < 0 ? -errno : 0;
}

int asyncio_socket_connect_result(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (zsock_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
		return -errno;
	}
	return -err;
}

int asyncio_socket_bind(int fd, const struct asyncio_sockaddr *at)
{
	struct sockaddr_storage addr;
	socklen_t len = to_sockaddr(at, &addr);
	int one = 1;

	if (len == 0) {
		return -EAFNOSUPPORT;
	}
	if (zsock_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    zsock_bind(fd, (struct sockaddr *)&addr, len) < 0) {
		return -errno;
	}
	return 0;
}

int asyncio_socket_listen(int fd, const struct asyncio_sockaddr *at, int backlog)
{
	int ret = asyncio_socket_bind(fd, at);

	if (ret < 0) {
		return ret;
	}
	return zsock_listen(fd, backlog) < 0 ? -errno : 0;
}

int asyncio_socket_accept(int fd, struct asyncio_sockaddr *peer)
{
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);
	int conn = zsock_accept(fd, (struct sockaddr *)&addr, &len);
	int ret;

	if (conn < 0) {
		return -errno;
	}
	ret = set_nonblocking(conn);
	if (ret < 0) {
		zsock_close(conn);
		return ret;
	}
	from_sockaddr((struct sockaddr *)&addr, peer);
	return conn;
}

int asyncio_socket_recv(int fd, uint8_t *buf, size_t len)
{
	ssize_t n = zsock_recv(fd, buf, len, ZSOCK_MSG_DONTWAIT);

	return n < 0 ? -errno : (int)n;
}

int asyncio_socket_send(int fd, const uint8_t *buf, size_t len)
{
	ssize_t n = zsock_send(fd, buf, len, ZSOCK_MSG_DONTWAIT);

	return n < 0 ? -errno : (int)n;
}

int asyncio_socket_sendto(int fd, const uint8_t *buf, size_t len, const struct asyncio_sockaddr *to)
{
	struct sockaddr_storage addr;
	socklen_t addr_len = to_sockaddr(to, &addr);
	ssize_t n;

	if (addr_len == 0) {
		return -EAFNOSUPPORT;
	}
	n = zsock_sendto(fd, buf, len, ZSOCK_MSG_DONTWAIT, (struct sockaddr *)&addr, addr_len);
	return n < 0 ? -errno : (int)n;
}

int asyncio_socket_recvfrom(int fd, uint8_t *buf, size_t len, struct asyncio_sockaddr *from)
{
	struct sockaddr_storage addr;
	socklen_t addr_len = sizeof(addr);
	ssize_t n = zsock_recvfrom(fd, buf, len, ZSOCK_MSG_DONTWAIT | ZSOCK_MSG_TRUNC,
				   (struct sockaddr *)&addr, &addr_len);

	if (n < 0) {
		return -errno;
	}
	from_sockaddr((struct sockaddr *)&addr, from);
	return (int)n;
}

int asyncio_socket_close(int fd)
{
	return zsock_close(fd) < 0 ? -errno : 0;
}

int asyncio_socket_resolve(const char *host, uint16_t port, struct asyncio_sockaddr *out)
{
	struct zsock_addrinfo hints = {.ai_socktype = SOCK_STREAM};
	struct zsock_addrinfo *res;

	if (zsock_getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL) {
		return -1;
	}
	from_sockaddr(res->ai_addr, out);
	out->port = port;
	zsock_freeaddrinfo(res);
	return 0;
}

/*
 * The socket's fd-table poll hooks, under its lock, as zsock_poll() calls them
 * (lib/os/zvfs/zvfs_poll.c).
 */
static int poll_hook(int fd, int request, int events, struct k_poll_event *ev, int capacity,
		     int *revents)
{
	const struct fd_op_vtable *vtable;
	struct k_mutex *lock;
	void *obj = zvfs_get_fd_obj_and_vtable(fd, &vtable, &lock);
	struct zsock_pollfd pfd = {.fd = fd, .events = events};
	struct k_poll_event *pev = ev;
	int ret;

	if (obj == NULL) {
		return -EBADF;
	}
	(void)k_mutex_lock(lock, K_FOREVER);
	if (request == ZFD_IOCTL_POLL_PREPARE) {
		ret = zvfs_fdtable_call_ioctl(vtable, obj, ZFD_IOCTL_POLL_PREPARE, &pfd, &pev,
					      ev + capacity);
	} else {
		ret = zvfs_fdtable_call_ioctl(vtable, obj, ZFD_IOCTL_POLL_UPDATE, &pfd, &pev);
		*revents = pfd.revents;
	}
	k_mutex_unlock(lock);
	return ret;
}

int asyncio_socket_poll_prepare(int fd, int events, struct k_poll_event *ev, int capacity)
{
	/* What the events the socket does not use point at (k_poll_event_init wants an object). */
	static char ignored;

	for (int i = 0; i < capacity; i++) {
		k_poll_event_init(&ev[i], K_POLL_TYPE_IGNORE, K_POLL_MODE_NOTIFY_ONLY, &ignored);
	}
	return poll_hook(fd, ZFD_IOCTL_POLL_PREPARE, events, ev, capacity, NULL);
}

int asyncio_socket_poll_update(int fd, int events, struct k_poll_event *ev, int *revents)
{
	return poll_hook(fd, ZFD_IOCTL_POLL_UPDATE, events, ev, 0, revents);
}
