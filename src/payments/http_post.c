/* Plain POSIX sockets: resolve, connect, write the request, read the status line. The
 * response body is not needed and is not read past the status line. */
#include "payments/http_post.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/errors.h"

#define SIGNATURE_LINE_MAX 512   /* one extra header line */

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int connect_to(const char *host, int port)
{
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    struct addrinfo *res = NULL;
    if (getaddrinfo(host, service, &hints, &res) != 0 || !res)
        return -1;
    int fd = -1;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        struct timeval tv = { .tv_sec = HTTP_POST_TIMEOUT_S };
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

int http_post_json(const char *host, int port, const char *path, const char *hname,
                   const char *hvalue, const char *body, size_t len)
{
    char extra[SIGNATURE_LINE_MAX];
    extra[0] = '\0';
    if (hname && hvalue) {
        int e = snprintf(extra, sizeof extra, "%s: %s\r\n", hname, hvalue);
        if (e <= 0 || (size_t)e >= sizeof extra)
            return PS_E_INTERNAL;
    }
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "POST %s HTTP/1.1\r\n"
                     "Host: %s:%d\r\n"
                     "User-Agent: pitstop-sandbox-gateway\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: %zu\r\n"
                     "%s"
                     "Connection: close\r\n\r\n",
                     path, host, port, len, extra);
    if (n <= 0 || (size_t)n >= sizeof head)
        return PS_E_INTERNAL;
    int fd = connect_to(host, port);
    if (fd < 0)
        return PS_E_UNAVAILABLE;
    int status = PS_E_UNAVAILABLE;
    if (send_all(fd, head, (size_t)n) == 0 && send_all(fd, body, len) == 0) {
        /* Read until the status line is complete ("HTTP/1.1 200 OK\r\n"). */
        char resp[256];
        size_t got = 0;
        while (got < sizeof resp - 1) {
            ssize_t r = recv(fd, resp + got, sizeof resp - 1 - got, 0);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
            resp[got] = '\0';
            if (strstr(resp, "\r\n"))
                break;
        }
        resp[got] = '\0';
        int code = 0;
        if (got >= 12 && strncmp(resp, "HTTP/1.", 7) == 0 && resp[8] == ' ' &&
            resp[9] >= '1' && resp[9] <= '5' && resp[10] >= '0' && resp[10] <= '9' &&
            resp[11] >= '0' && resp[11] <= '9')
            code = (resp[9] - '0') * 100 + (resp[10] - '0') * 10 + (resp[11] - '0');
        if (code)
            status = code;
    }
    close(fd);
    return status;
}
