#include "cmicrohttpd.h"

#include <microhttpd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vigil_http_server {
    struct MHD_Daemon *daemon;
    vigil_http_handler handler;
    void *ctx;
    size_t max_body;
    uint16_t port;
};

typedef struct {
    char *data;
    size_t len;
    size_t cap;
    int too_large;
} body_buf;

static enum MHD_Result send_simple(struct MHD_Connection *c, unsigned status, const char *text) {
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static void add_headers(struct MHD_Response *r, char *headers) {
    char *line = headers;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        char *colon = strchr(line, ':');
        if (colon) {
            *colon = 0;
            const char *value = colon + 1;
            while (*value == ' ') value++;
            MHD_add_response_header(r, line, value);
        }
        if (!nl) break;
        line = nl + 1;
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls) {
    (void)version;
    struct vigil_http_server *s = cls;
    body_buf *buf = *con_cls;
    if (buf == NULL) {
        buf = calloc(1, sizeof(body_buf));
        if (!buf) return MHD_NO;
        *con_cls = buf;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (!buf->too_large) {
            if (buf->len + *upload_data_size > s->max_body) {
                buf->too_large = 1;
            } else {
                if (buf->len + *upload_data_size + 1 > buf->cap) {
                    size_t cap = buf->cap ? buf->cap * 2 : 8192;
                    while (cap < buf->len + *upload_data_size + 1) cap *= 2;
                    char *n = realloc(buf->data, cap);
                    if (!n) return MHD_NO;
                    buf->data = n;
                    buf->cap = cap;
                }
                memcpy(buf->data + buf->len, upload_data, *upload_data_size);
                buf->len += *upload_data_size;
                buf->data[buf->len] = 0;
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (buf->too_large) return send_simple(connection, 413, "request body too large\n");

    vigil_http_request req = {method, url, buf->data ? buf->data : "", buf->len, connection};
    vigil_http_response resp = {500, NULL, 0, NULL, NULL};
    s->handler(s->ctx, &req, &resp);

    struct MHD_Response *r;
    if (resp.body) {
        r = MHD_create_response_from_buffer_with_free_callback(resp.body_len, resp.body, free);
    } else {
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (resp.content_type) {
        MHD_add_response_header(r, "Content-Type", resp.content_type);
        free(resp.content_type);
    }
    if (resp.headers) {
        add_headers(r, resp.headers);
        free(resp.headers);
    }
    enum MHD_Result ret = MHD_queue_response(connection, resp.status, r);
    MHD_destroy_response(r);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
    (void)cls; (void)connection; (void)toe;
    body_buf *buf = *con_cls;
    if (buf) {
        free(buf->data);
        free(buf);
        *con_cls = NULL;
    }
}

vigil_http_server *vigil_http_start(const char *host, uint16_t port, unsigned threads, size_t max_body,
                                    vigil_http_handler handler, void *ctx, char *err, size_t errlen) {
    struct vigil_http_server *s = calloc(1, sizeof(*s));
    if (!s) return NULL;
    s->handler = handler;
    s->ctx = ctx;
    s->max_body = max_body;

    struct sockaddr_in addr4;
    struct sockaddr_in6 addr6;
    struct sockaddr *sa = NULL;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    memset(&addr4, 0, sizeof(addr4));
    memset(&addr6, 0, sizeof(addr6));
    if (host && *host && strchr(host, ':')) {
        addr6.sin6_family = AF_INET6;
        addr6.sin6_port = htons(port);
        if (inet_pton(AF_INET6, host, &addr6.sin6_addr) != 1) {
            snprintf(err, errlen, "invalid listen address %s", host);
            free(s);
            return NULL;
        }
        sa = (struct sockaddr *)&addr6;
        flags |= MHD_USE_IPv6;
    } else {
        addr4.sin_family = AF_INET;
        addr4.sin_port = htons(port);
        if (host && *host) {
            if (inet_pton(AF_INET, host, &addr4.sin_addr) != 1) {
                snprintf(err, errlen, "invalid listen address %s", host);
                free(s);
                return NULL;
            }
        } else {
            addr4.sin_addr.s_addr = htonl(INADDR_ANY);
        }
        sa = (struct sockaddr *)&addr4;
    }
    if (threads < 1) threads = 1;
    s->daemon = MHD_start_daemon(flags, port, NULL, NULL, on_request, s,
                                 MHD_OPTION_SOCK_ADDR, sa,
                                 MHD_OPTION_THREAD_POOL_SIZE, threads,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
                                 /* Query evaluation recurses over the expression tree: give it room. */
                                 MHD_OPTION_THREAD_STACK_SIZE, (size_t)(64u << 20),
                                 MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
                                 MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, errlen, "cannot listen on %s:%u (address in use or not permitted)",
                 (host && *host) ? host : "0.0.0.0", (unsigned)port);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : port;
    return s;
}

uint16_t vigil_http_port(const vigil_http_server *server) { return server->port; }

void vigil_http_stop(vigil_http_server *server) {
    if (!server) return;
    MHD_stop_daemon(server->daemon);
    free(server);
}

const char *vigil_http_header(void *connection, const char *name) {
    return MHD_lookup_connection_value((struct MHD_Connection *)connection, MHD_HEADER_KIND, name);
}

typedef struct {
    vigil_http_arg_visitor visitor;
    void *ctx;
} arg_ctx;

static enum MHD_Result visit_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                  const char *value, size_t value_size) {
    (void)kind;
    arg_ctx *a = cls;
    a->visitor(a->ctx, key ? key : "", key ? key_size : 0, value ? value : "", value ? value_size : 0);
    return MHD_YES;
}

void vigil_http_each_arg(void *connection, vigil_http_arg_visitor visitor, void *ctx) {
    arg_ctx a = {visitor, ctx};
    MHD_get_connection_values_n((struct MHD_Connection *)connection, MHD_GET_ARGUMENT_KIND, visit_arg, &a);
}
