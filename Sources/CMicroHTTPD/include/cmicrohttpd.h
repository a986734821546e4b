#ifndef CMICROHTTPD_H
#define CMICROHTTPD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One complete HTTP request, body already read. Valid only during the handler call.
typedef struct vigil_http_request {
    const char *method;
    const char *url;       /* path only, percent-decoded by libmicrohttpd */
    const char *body;
    size_t body_len;
    void *connection;      /* for vigil_http_header / vigil_http_each_arg */
} vigil_http_request;

/// The handler fills this in. `body` must be malloc'd (the shim frees it) or NULL.
typedef struct vigil_http_response {
    unsigned status;
    char *body;
    size_t body_len;
    char *content_type;    /* malloc'd or NULL */
    char *headers;         /* malloc'd "Name: value\n" lines or NULL */
} vigil_http_response;

typedef void (*vigil_http_handler)(void *ctx, const vigil_http_request *req, vigil_http_response *resp);
typedef void (*vigil_http_arg_visitor)(void *ctx, const char *key, size_t key_len, const char *value,
                                       size_t value_len);

typedef struct vigil_http_server vigil_http_server;

/// Starts a server with an internal thread pool of `threads` threads listening on `host:port`
/// (`host` is an IPv4 or IPv6 literal; NULL or "" means all IPv4 interfaces). Bodies larger than
/// `max_body` bytes are answered with 413. Returns NULL on failure and writes a message into `err`.
vigil_http_server *vigil_http_start(const char *host, uint16_t port, unsigned threads, size_t max_body,
                                    vigil_http_handler handler, void *ctx, char *err, size_t errlen);
/// The port actually bound (useful when started with port 0).
uint16_t vigil_http_port(const vigil_http_server *server);
void vigil_http_stop(vigil_http_server *server);

/// A request header, or NULL.
const char *vigil_http_header(void *connection, const char *name);
/// Visits every URL query argument in order, repeated keys included; lengths count bytes after a decoded NUL.
void vigil_http_each_arg(void *connection, vigil_http_arg_visitor visitor, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
