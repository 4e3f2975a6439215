/* Whole requests, byte for byte, into the real HTTP server over loopback: libmicrohttpd's
 * parser, our transport caps, the router and the static file server all see hostile input.
 * Each input is sent on a fresh connection, then the write side is shut. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/http.h"
#include "core/log.h"
#include "support.h"

static struct ps_config cfg;
static int port;
static struct ps_http *server;   /* lives as long as the fuzzer */

static void start_server(void)
{
    ps_log_set_level(PS_LOG_ERROR);
    fuzz_routes_register();
    snprintf(cfg.listen_host, sizeof cfg.listen_host, "127.0.0.1");
    snprintf(cfg.web_dir, sizeof cfg.web_dir, "/nonexistent-web-dir");
    for (int attempt = 0; attempt < 50; attempt++) {
        port = 20000 + (int)((getpid() * 7919 + attempt * 104729) % 40000);
        cfg.listen_port = port;
        snprintf(cfg.listen, sizeof cfg.listen, "127.0.0.1:%d", port);
        char err[256];
        if (ps_http_start(&cfg, &server, err, sizeof err) == 0)
            return;
    }
    fprintf(stderr, "fuzz_request: no free port\n");
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!port)
        start_server();
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = { 2, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
        for (size_t off = 0; off < size;) {
            ssize_t n = send(fd, data + off, size - off, MSG_NOSIGNAL);
            if (n <= 0)
                break;
            off += (size_t)n;
        }
        shutdown(fd, SHUT_WR);
        char buf[4096];
        while (recv(fd, buf, sizeof buf, 0) > 0) {
        }
    }
    close(fd);
    return 0;
}
