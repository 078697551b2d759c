/*
 * wrk-tls-shim.c - an LD_PRELOAD library for wrk's TLS client; run-tls.sh builds it into
 * $BENCH_DIR/tls/ and loads it for the handshake runs only.
 *
 * wrk 4.x keeps one SSL object per connection. On reconnect (here: after every response, since
 * the request says "Connection: close") it calls SSL_shutdown + SSL_clear, and SSL_clear keeps
 * the last session, so the next SSL_connect offers it: every handshake after a connection's first
 * is a resumption whenever the server resumes sessions. And wrk's latency clock starts when the
 * request is written, after the handshake, so it never sees the handshake's own time. This library:
 *
 *   - counts the client handshakes that complete, and how many of them the server resumed;
 *   - times each handshake, from the first SSL_connect call on the connection (right after the
 *     TCP connect completed) to the call that completes it, into a histogram of 10 us buckets;
 *   - with WRK_TLS_NO_RESUME=1, drops the kept session in SSL_clear, so that every handshake is
 *     a full one (certificate, signature, key exchange) whatever the server's session settings;
 *   - when wrk exits, writes one line to the file $WRK_TLS_STATS:
 *       handshakes=N resumed=M hs_p50_us=A hs_p99_us=B hs_max_us=C
 *
 * Nothing else in wrk changes. The OpenSSL functions are looked up at run time, so only a C
 * compiler is needed (no libssl-dev):
 *
 *   cc -shared -fPIC -O2 -o wrk-tls-shim.so wrk-tls-shim.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct ssl_st SSL;
typedef struct ssl_session_st SSL_SESSION;

static int (*real_clear)(SSL *);
static int (*real_connect)(SSL *);
static int (*set_session)(SSL *, SSL_SESSION *);
static int (*session_reused)(const SSL *);
static int no_resume;
static unsigned long handshakes, resumed;
/* libssl calls SSL_clear itself at the start of a handshake: those calls are not wrk's. */
static __thread int in_connect;

/* Handshake times: 10 us buckets up to 2 s, then one overflow bucket. */
#define BUCKET_US 10
#define BUCKETS 200000
static unsigned long histogram[BUCKETS + 1];
static unsigned long max_us;

/* Start time of the handshake in progress, per SSL object (wrk has one per connection and keeps
 * it for the whole run, so entries are never removed). Open addressing; a key is claimed with a
 * CAS, after which only the thread owning that connection touches the slot. */
#define SLOTS 65536
static SSL *slot_key[SLOTS];
static uint64_t slot_start[SLOTS];

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static uint64_t *start_of(SSL *s) {
    uintptr_t h = (uintptr_t) s;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15u;
    for (size_t n = 0, i = (size_t) (h >> 48) & (SLOTS - 1); n < SLOTS; n++, i = (i + 1) & (SLOTS - 1)) {
        SSL *k = __atomic_load_n(&slot_key[i], __ATOMIC_ACQUIRE);
        if (k == s) {
            return &slot_start[i];
        }
        if (k == NULL) {
            SSL *expected = NULL;
            if (__atomic_compare_exchange_n(&slot_key[i], &expected, s, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)
                || expected == s) {
                return &slot_start[i];
            }
        }
    }
    return NULL; /* more than SLOTS connections: not timed, still counted */
}

__attribute__((constructor)) static void shim_init(void) {
    real_clear = (int (*)(SSL *)) dlsym(RTLD_NEXT, "SSL_clear");
    real_connect = (int (*)(SSL *)) dlsym(RTLD_NEXT, "SSL_connect");
    set_session = (int (*)(SSL *, SSL_SESSION *)) dlsym(RTLD_DEFAULT, "SSL_set_session");
    session_reused = (int (*)(const SSL *)) dlsym(RTLD_DEFAULT, "SSL_session_reused");
    const char *v = getenv("WRK_TLS_NO_RESUME");
    no_resume = v != NULL && v[0] == '1';
}

static unsigned long percentile_us(unsigned long total, double p) {
    if (total == 0) {
        return 0;
    }
    unsigned long want = (unsigned long) (total * p + 0.999999), seen = 0;
    for (size_t i = 0; i <= BUCKETS; i++) {
        seen += histogram[i];
        if (seen >= want) {
            return i == BUCKETS ? max_us : (i + 1) * BUCKET_US; /* upper edge of the bucket */
        }
    }
    return max_us;
}

__attribute__((destructor)) static void shim_done(void) {
    const char *path = getenv("WRK_TLS_STATS");
    if (path == NULL || path[0] == '\0') {
        return;
    }
    unsigned long timed = 0;
    for (size_t i = 0; i <= BUCKETS; i++) {
        timed += histogram[i];
    }
    FILE *f = fopen(path, "w");
    if (f != NULL) {
        fprintf(f, "handshakes=%lu resumed=%lu hs_p50_us=%lu hs_p99_us=%lu hs_max_us=%lu\n", handshakes, resumed,
                percentile_us(timed, 0.50), percentile_us(timed, 0.99), max_us);
        fclose(f);
    }
}

int SSL_connect(SSL *s) {
    if (real_connect == NULL) {
        shim_init();
    }
    uint64_t *start = start_of(s);
    if (start != NULL && *start == 0) {
        *start = now_ns();
    }
    in_connect = 1;
    int r = real_connect(s);
    in_connect = 0;
    if (r == 1) {
        __atomic_add_fetch(&handshakes, 1, __ATOMIC_RELAXED);
        if (session_reused != NULL && session_reused(s)) {
            __atomic_add_fetch(&resumed, 1, __ATOMIC_RELAXED);
        }
        if (start != NULL && *start != 0) {
            unsigned long us = (unsigned long) ((now_ns() - *start) / 1000);
            *start = 0;
            size_t b = us / BUCKET_US;
            __atomic_add_fetch(&histogram[b < BUCKETS ? b : BUCKETS], 1, __ATOMIC_RELAXED);
            unsigned long m = __atomic_load_n(&max_us, __ATOMIC_RELAXED);
            while (us > m && !__atomic_compare_exchange_n(&max_us, &m, us, 1, __ATOMIC_RELAXED,
                                                          __ATOMIC_RELAXED)) {
            }
        }
    }
    /* WANT_READ/WANT_WRITE keep the clock running; SSL_clear resets it after a failure. */
    return r;
}

int SSL_clear(SSL *s) {
    if (real_clear == NULL) {
        shim_init();
    }
    if (in_connect) {
        return real_clear(s);
    }
    uint64_t *start = start_of(s);
    if (start != NULL) {
        *start = 0; /* a handshake that failed or was abandoned is not timed */
    }
    if (no_resume && set_session != NULL) {
        set_session(s, NULL);
    }
    return real_clear(s);
}
