#!/usr/bin/env bash
# run-tls.sh init|start|stop|status|check|run - plexgate's TLS listener against nginx with TLS,
# same certificate, same policy, same origin, on this machine (loopback only). Built on the
# shared harness (../shared/bench: origin.sh, peers.sh, lib.sh, bench.lua), which it reuses
# without changing it.
#
#   init    the certificate (once, into $BENCH_DIR/tls: ca.pem, server.pem, server.key, made
#           with `plexgate tls init`, or openssl when the jar is missing) and plexgate's bench
#           config $BENCH_DIR/tls/plexgate-tls.yml (bench/shared-bench.yml + listen_tls)
#   start   init, then the nginx TLS peer on 127.0.0.1:18443: the config peers.sh generated
#           for the plain nginx peer, listening with TLS instead (own pid and logs)
#   stop    stops the nginx TLS peer
#   status  whether the nginx TLS peer runs
#   check   [NAME=PORT...] the checks that run does first, alone
#   run     [NAME=PORT...] the benchmark; targets default to nginx-tls=18443 plexgate-tls=32443
#
# run needs the origin (origin.sh start), the nginx TLS peer (start) and plexgate started
# separately with $BENCH_DIR/tls/plexgate-tls.yml (see README.md). It checks every target over
# TLS with curl (status, body, policy, headers), then each round, for every target (order
# rotated each round), runs wrk against https://localhost:PORT/small with run.sh's small-case
# settings (THREADS threads, CF-Connecting-IP and User-Agent, bench.lua, DURATION s):
#   small    64 kept-alive TLS connections
#   hsfull   HS_CONNS connections, "Connection: close": a new TLS connection per request, each
#            a full handshake (wrk-tls-shim.so stops wrk from resuming sessions)
#   hsres    the same, wrk resuming sessions as it does on its own (tickets or session ids,
#            whatever the server offers)
# The shim also counts and times the handshakes (wrk's own latency starts after them).
# Results: markdown table on stdout (medians over rounds, ratios to nginx-tls), raw files
# in $BENCH_DIR/runs/<time>-tls/, JSON in $OUT if set.
#
# Environment: ROUNDS (3), DURATION (10), THREADS (2), HS_CONNS (64), WARMUP (3, seconds per
#   target and workload), HANDSHAKES ("full resumed", or one of them, or "none"), CLIENT_IP
#   (203.0.113.7), USER_AGENT (run.sh's), OUT (JSON path), PID_<name> with - written _ (e.g.
#   PID_plexgate_tls; found from the listening socket otherwise), BENCH_DIR (/tmp/plexgate-bench),
#   SHARED_BENCH (../shared/bench beside the repo), PLEXGATE_JAR (control/target/plexgate.jar).
set -euo pipefail

TLS_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$TLS_HERE/../.." && pwd)
SHARED_BENCH=$(cd "${SHARED_BENCH:-$REPO/../shared/bench}" 2>/dev/null && pwd) ||
    { echo "error: the shared harness is not at ${SHARED_BENCH:-$REPO/../shared/bench} (set SHARED_BENCH)" >&2; exit 1; }
# shellcheck source-path=SCRIPTDIR/../../../shared/bench
# shellcheck source=lib.sh disable=SC1091
source "$SHARED_BENCH/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
SMALL_CONNS=64 # run.sh's small case
HS_CONNS=${HS_CONNS:-64}
WARMUP=${WARMUP:-3}
HANDSHAKES=${HANDSHAKES:-full resumed}
CLIENT_IP=${CLIENT_IP:-203.0.113.7}
# The same default as run.sh: real clients send a User-Agent, so the bot rule runs.
USER_AGENT=${USER_AGENT:-Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36}
LUA=$HERE/bench.lua
CLK_TCK=$(getconf CLK_TCK)

TLS_DIR=$BENCH_DIR/tls
NGX_DIR=$TLS_DIR/nginx
NGX_PID=$NGX_DIR/nginx.pid
PEER_CONF=$BENCH_DIR/peers/nginx/nginx.conf
PEER_PORT=18081
NGINX_TLS_PORT=18443
PLEXGATE_TLS_PORT=32443
PLEXGATE_CONF=$TLS_DIR/plexgate-tls.yml
PLEXGATE_JAR=${PLEXGATE_JAR:-$REPO/control/target/plexgate.jar}
SHIM_SRC=$TLS_HERE/wrk-tls-shim.c
SHIM=$TLS_DIR/wrk-tls-shim.so
# plexgate's TLS 1.2 suites (proxy/.../tls/TlsEngine.java) in OpenSSL's names; for TLS 1.3 both
# use the same three suites (OpenSSL's default list), so nginx keeps its default there.
TLS12_CIPHERS=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305

usage() {
    awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0" >&2
    exit 2
}

# --- certificate and plexgate config ---------------------------------------------------------

cert_valid() {
    [[ -s $TLS_DIR/ca.pem && -s $TLS_DIR/server.pem && -s $TLS_DIR/server.key ]] &&
        openssl x509 -checkend 86400 -noout -in "$TLS_DIR/server.pem" >/dev/null 2>&1
}

# The same shape as `plexgate tls init`: EC P-256 CA, EC P-256 server certificate for
# localhost and 127.0.0.1, server.pem = server certificate then CA certificate.
make_cert_openssl() {
    local d=$TLS_DIR
    (
        umask 077
        openssl ecparam -name prime256v1 -genkey -noout -out "$d/ca.key.tmp"
        openssl ecparam -name prime256v1 -genkey -noout -out "$d/server.key.tmp"
    )
    openssl req -x509 -new -key "$d/ca.key.tmp" -sha256 -days 3650 -subj "/CN=plexgate bench CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$d/ca.pem.tmp"
    openssl req -new -key "$d/server.key.tmp" -subj "/CN=localhost" -out "$d/server.csr"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem.tmp" -CAkey "$d/ca.key.tmp" \
        -set_serial "0x$(openssl rand -hex 16)" \
        -sha256 -days 365 -out "$d/server.crt" -extfile <(printf '%s\n' \
        "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1") 2>"$d/openssl.log" ||
        { cat "$d/openssl.log" >&2; die "openssl could not sign the server certificate"; }
    cat "$d/server.crt" "$d/ca.pem.tmp" >"$d/server.pem"
    mv "$d/server.key.tmp" "$d/server.key"
    mv "$d/ca.key.tmp" "$d/ca.key"
    mv "$d/ca.pem.tmp" "$d/ca.pem"
    rm -f "$d/server.csr" "$d/server.crt" "$d/openssl.log"
}

make_cert() {
    mkdir -p "$TLS_DIR"
    if cert_valid; then
        return 0
    fi
    rm -f "$TLS_DIR/tls-init.log"
    if [[ -f $PLEXGATE_JAR ]] && command -v java >/dev/null &&
        java -jar "$PLEXGATE_JAR" tls init --dir "$TLS_DIR" --name localhost --ip 127.0.0.1 --force \
            >"$TLS_DIR/tls-init.log" 2>&1 && cert_valid; then
        log "tls: certificate made by plexgate tls init in $TLS_DIR"
    else
        if [[ -f $TLS_DIR/tls-init.log ]]; then
            log "tls: plexgate tls init failed (see $TLS_DIR/tls-init.log); using openssl"
        else
            log "tls: no $PLEXGATE_JAR (or no java); using openssl"
        fi
        make_cert_openssl
        cert_valid || die "could not make the certificate in $TLS_DIR"
        log "tls: certificate made by openssl in $TLS_DIR"
    fi
}

# bench/shared-bench.yml with absolute list paths, plus listen_tls on the certificate.
write_plexgate_conf() {
    local src=$REPO/bench/shared-bench.yml tmp=$PLEXGATE_CONF.tmp
    {
        echo "# Generated by bench/tls/run-tls.sh from bench/shared-bench.yml: the same settings, list"
        echo "# paths made absolute, plus the TLS listener the TLS benchmark measures. Start plexgate with"
        echo "#   PLEXGATE_JAR=control/target/plexgate.jar setsid packaging/bin/plexgate run -c $PLEXGATE_CONF &"
        echo "# (in a session of its own, like the peers: see bench/shared-bench.yml)"
        awk -v from="../../shared/bench/" -v to="$SHARED_BENCH/" '/^[ \t]*#/ {next} {
            out = ""
            while ((i = index($0, from)) > 0) { out = out substr($0, 1, i - 1) to; $0 = substr($0, i + length(from)) }
            print out $0
        }' "$src"
        echo "listen_tls:"
        echo "  address: 127.0.0.1:$PLEXGATE_TLS_PORT"
        echo "  cert: $TLS_DIR/server.pem"
        echo "  key: $TLS_DIR/server.key"
    } >"$tmp"
    if grep -n '\.\./' "$tmp" >&2; then
        die "$src has a relative path run-tls.sh does not rewrite (above)"
    fi
    if grep -q '^listen_tls:' "$src"; then
        die "$src has a listen_tls section already; update write_plexgate_conf"
    fi
    mv "$tmp" "$PLEXGATE_CONF"
    if [[ -f $PLEXGATE_JAR ]] && command -v java >/dev/null; then
        java -jar "$PLEXGATE_JAR" check -c "$PLEXGATE_CONF" >"$TLS_DIR/check.log" 2>&1 ||
            { cat "$TLS_DIR/check.log" >&2; die "plexgate check refused $PLEXGATE_CONF"; }
    fi
}

cmd_init() {
    make_cert
    write_plexgate_conf
    log "tls: plexgate config $PLEXGATE_CONF (listen_tls 127.0.0.1:$PLEXGATE_TLS_PORT)"
}

# --- nginx TLS peer ----------------------------------------------------------------------------

# The plain peer's config with its listen line made TLS on 18443, the TLS settings beside it, and
# every file of the plain peer's directory (pid, logs, temp dirs) moved to $NGX_DIR.
gen_nginx_tls() {
    [[ -f $PEER_CONF ]] || die "$PEER_CONF is missing: run $SHARED_BENCH/peers.sh start once (it generates it)"
    mkdir -p "$NGX_DIR/tmp"
    awk -v from="$BENCH_DIR/peers/nginx/" -v to="$NGX_DIR/" -v src="$PEER_CONF" \
        -v plain="127.0.0.1:$PEER_PORT" -v tls="127.0.0.1:$NGINX_TLS_PORT" \
        -v cert="$TLS_DIR/server.pem" -v key="$TLS_DIR/server.key" -v ciphers="$TLS12_CIPHERS" '
        function literal(s, a, b,    out, i) {
            out = ""
            while ((i = index(s, a)) > 0) { out = out substr(s, 1, i - 1) b; s = substr(s, i + length(a)) }
            return out s
        }
        NR == 1 {
            print "# Derived by bench/tls/run-tls.sh from " src " (peers.sh): the same policy,"
            print "# workers and proxy settings, served over TLS on " tls " instead of " plain "."
        }
        {
            line = literal($0, from, to)
            if (line ~ "^[ \t]*listen[ \t]+" plain "[ \t;]") {
                indent = line; sub(/listen.*/, "", indent)
                rest = line; sub("^[ \t]*listen[ \t]+" plain, "", rest)
                print indent "listen " tls " ssl" rest
                print indent "# TLS: the certificate plexgate serves; TLS 1.2 and 1.3; for TLS 1.2 the suites"
                print indent "# plexgate allows (TLS 1.3: OpenSSL'"'"'s default three, the same as plexgate'"'"'s)."
                print indent "ssl_certificate     " cert ";"
                print indent "ssl_certificate_key " key ";"
                print indent "ssl_protocols       TLSv1.2 TLSv1.3;"
                print indent "ssl_ciphers         " ciphers ";"
                print indent "# Session resumption: nginx'"'"'s defaults, written out: session tickets on (a key"
                print indent "# made at start, shared by the workers), no server-side session cache."
                print indent "ssl_session_tickets on;"
                print indent "ssl_session_cache   none;"
                listens++
                next
            }
            print line
        }
        END { if (listens != 1) { print "run-tls.sh: expected one listen " plain " line, found " listens + 0 > "/dev/stderr"; exit 1 } }
    ' "$PEER_CONF" >"$NGX_DIR/nginx.conf.tmp" || die "cannot derive the TLS peer from $PEER_CONF"
    if grep -v '^[[:space:]]*#' "$NGX_DIR/nginx.conf.tmp" | grep -F "$BENCH_DIR/peers/" >&2; then
        die "the derived config still names the plain peer's files (above)"
    fi
    mv "$NGX_DIR/nginx.conf.tmp" "$NGX_DIR/nginx.conf"
}

# tls_answers PORT: something answers HTTPS on 127.0.0.1:PORT (any status).
tls_answers() {
    curl -sk -o /dev/null --max-time 2 --resolve "localhost:$1:127.0.0.1" "https://localhost:$1/" 2>/dev/null
}

nginx_running() {
    [[ -f $NGX_PID ]] && kill -0 "$(<"$NGX_PID")" 2>/dev/null
}

cmd_start() {
    local i
    cmd_init
    if nginx_running; then
        log "nginx-tls: already running (pid $(<"$NGX_PID")), restarting with a fresh config"
        stop_pidfile "$NGX_PID"
    fi
    ! tls_answers "$NGINX_TLS_PORT" || die "port $NGINX_TLS_PORT is already in use"
    port_busy "$ORIGIN_PORT" || log "warning: the origin is not running on $ORIGIN_PORT (origin.sh start)"
    gen_nginx_tls
    nginx -t -q -p "$NGX_DIR" -c "$NGX_DIR/nginx.conf" -e "$NGX_DIR/error.log"
    nginx -p "$NGX_DIR" -c "$NGX_DIR/nginx.conf" -e "$NGX_DIR/error.log"
    for ((i = 0; i < 150; i++)); do
        tls_answers "$NGINX_TLS_PORT" && break
        sleep 0.1
    done
    tls_answers "$NGINX_TLS_PORT" || die "nginx-tls did not come up; see $NGX_DIR/error.log"
    log "nginx-tls: listening on 127.0.0.1:$NGINX_TLS_PORT (pid $(<"$NGX_PID"), config $NGX_DIR/nginx.conf)"
}

cmd_stop() {
    stop_pidfile "$NGX_PID"
    log "nginx-tls: stopped"
}

cmd_status() {
    if nginx_running; then
        echo "nginx-tls: running on $NGINX_TLS_PORT (pid $(<"$NGX_PID"))"
    else
        echo "nginx-tls: not running"
        return 1
    fi
}

# --- targets and checks ------------------------------------------------------------------------

NAMES=()
declare -A PORT_OF PID_OF TLS_OF
add_target() {
    local name=$1 port=$2
    [[ $name =~ ^[A-Za-z][A-Za-z0-9_-]*$ ]] || die "bad target name '$name' (letters, digits, _, -)"
    [[ $port =~ ^[0-9]+$ ]] || die "bad port '$port' for $name"
    [[ -z ${PORT_OF[$name]:-} ]] || die "target $name given twice"
    NAMES+=("$name")
    PORT_OF[$name]=$port
}

parse_targets() {
    local arg
    (($# > 0)) || set -- "nginx-tls=$NGINX_TLS_PORT" "plexgate-tls=$PLEXGATE_TLS_PORT"
    for arg in "$@"; do
        [[ $arg == *=* ]] || die "target '$arg': expected NAME=PORT"
        add_target "${arg%%=*}" "${arg#*=}"
    done
}

# The PID behind a target: PID_<name> (- as _), the TLS peer's pid file, or the process that
# owns the listening socket.
find_pid() {
    local name=$1 port=$2 var="PID_${1//-/_}"
    if [[ -n ${!var:-} ]]; then
        echo "${!var}"
    elif [[ $port == "$NGINX_TLS_PORT" ]] && nginx_running; then
        cat "$NGX_PID"
    else
        ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true
    fi
}

# A process and its children (nginx's workers; plexgate is one process).
proc_tree() {
    local pid=$1
    [[ -n $pid && -d /proc/$pid ]] || return 0
    echo "$pid"
    pgrep -P "$pid" || true
}

# CPU time (clock ticks, user+system, all threads) used so far by the tree.
cpu_ticks() {
    local p sum=0 v
    for p in $(proc_tree "$1"); do
        v=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
        sum=$((sum + ${v:-0}))
    done
    echo "$sum"
}

# Protocol, suite, key exchange group and signature a default OpenSSL client gets.
tls_params() {
    openssl s_client -brief -connect "127.0.0.1:$1" -servername localhost -CAfile "$TLS_DIR/ca.pem" \
        </dev/null 2>&1 | awk -F': ' '
        /^Protocol version/ {p = $2} /^Ciphersuite/ {c = $2} /^Server Temp Key/ {split($2, k, ","); g = k[1]}
        /^Signature type/ {s = $2} /^Verification/ {v = $2}
        END {printf "%s %s %s %s verify=%s\n", p, c, g, s, v}'
}

# check_target NAME: the checks before measuring, over TLS with the CA (fails the run).
check_target() {
    local name=$1 port=${PORT_OF[$1]} url code hdrs fails=0
    url=https://localhost:$port
    local -a c=(curl -s --max-time 10 --cacert "$TLS_DIR/ca.pem" --resolve "localhost:$port:127.0.0.1")
    code=$("${c[@]}" -H "CF-Connecting-IP: $CLIENT_IP" -A "$USER_AGENT" -o "$WORK/small.$name" -w '%{http_code}' \
        "$url/small" || true)
    if [[ $code == 000 ]]; then
        log "  FAIL $name: nothing answers with TLS on 127.0.0.1:$port (or the certificate is not $TLS_DIR's)"
        return 1
    fi
    if [[ $code == 200 ]] && cmp -s "$WORK/small.$name" "$WORK/small.origin"; then
        log "  PASS $name: allowed GET $url/small -> 200, the origin's exact 1 KiB body, certificate verified"
    else
        log "  FAIL $name: allowed GET $url/small -> '$code' (want 200 and the origin's body; is it running with TLS on $port?)"
        fails=$((fails + 1))
    fi
    code=$("${c[@]}" -o /dev/null -w '%{http_code}' "$url/small" || true)
    if [[ $code == 403 ]]; then
        log "  PASS $name: no CF-Connecting-IP -> 403"
    else
        log "  FAIL $name: no CF-Connecting-IP -> '$code' (want 403)"
        fails=$((fails + 1))
    fi
    code=$("${c[@]}" -H "CF-Connecting-IP: $CLIENT_IP" -A "python-requests/2.31.0" -o /dev/null -w '%{http_code}' \
        "$url/small" || true)
    if [[ $code == 403 ]]; then
        log "  PASS $name: bot User-Agent from an allowed address -> 403"
    else
        log "  FAIL $name: bot User-Agent -> '$code' (want 403)"
        fails=$((fails + 1))
    fi
    hdrs=$("${c[@]}" -D - -o /dev/null -H "CF-Connecting-IP: $CLIENT_IP" -A "$USER_AGENT" "$url/small" | tr -d '\r' || true)
    if [[ $(grep -ic '^cache-control:' <<<"$hdrs") == 1 ]] && grep -qix 'cache-control: no-store, private' <<<"$hdrs" &&
        grep -qix 'cdn-cache-control: no-store' <<<"$hdrs"; then
        log "  PASS $name: Cache-Control: no-store, private and CDN-Cache-Control: no-store"
    else
        log "  FAIL $name: cache headers: $(grep -i 'cache-control' <<<"$hdrs" | paste -sd';' -)"
        fails=$((fails + 1))
    fi
    TLS_OF[$name]=$(tls_params "$port")
    log "  $name: ${TLS_OF[$name]}"
    return $((fails > 0))
}

# Checks the origin and every target (files in $WORK), finds the PIDs.
prepare() {
    local n bad=0
    command -v wrk >/dev/null || die "wrk not found (run $SHARED_BENCH/setup.sh)"
    cert_valid || die "no certificate in $TLS_DIR: run $0 start (and start plexgate with $PLEXGATE_CONF)"
    port_busy "$ORIGIN_PORT" || die "origin is not running on $ORIGIN_PORT (run $SHARED_BENCH/origin.sh start)"
    curl -s --max-time 10 "http://127.0.0.1:$ORIGIN_PORT/small" -o "$WORK/small.origin"
    log "checks"
    for n in "${NAMES[@]}"; do
        check_target "$n" || bad=1
        PID_OF[$n]=$(find_pid "$n" "${PORT_OF[$n]}")
        if [[ -z ${PID_OF[$n]} || ! -d /proc/${PID_OF[$n]} ]]; then
            log "  $n: no PID known (set PID_${n//-/_}=...), CPU will be n/a"
            PID_OF[$n]=
        else
            log "  $n: pid ${PID_OF[$n]} ($(ps -o comm= -p "${PID_OF[$n]}" || true)), for CPU per request"
        fi
    done
    ((bad == 0)) || die "a target failed its checks (nginx-tls: $0 start; plexgate: see bench/tls/README.md)"
}

# --- workloads ---------------------------------------------------------------------------------

build_shim() {
    if [[ ! -f $SHIM || $SHIM_SRC -nt $SHIM ]]; then
        command -v cc >/dev/null || die "no C compiler for $SHIM_SRC (apt-get install gcc libc6-dev), or set HANDSHAKES=none"
        mkdir -p "$TLS_DIR"
        cc -shared -fPIC -O2 -Wall -o "$SHIM.tmp" "$SHIM_SRC" -ldl
        mv "$SHIM.tmp" "$SHIM"
    fi
}

RESULTS=
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS"; }

# kv KEY WORDS...: the value of KEY=value among WORDS (0 if absent).
kv() {
    local key=$1 w
    shift
    for w in "$@"; do
        if [[ $w == "$key="* ]]; then
            echo "${w#*=}"
            return
        fi
    done
    echo 0
}

# wrk_tls NAME ROUND METRIC: one wrk run over TLS, recorded. METRIC is small, hsfull or hsres.
wrk_tls() {
    local name=$1 round=$2 metric=$3 port=${PORT_OF[$1]} pid=${PID_OF[$1]}
    local conns=$SMALL_CONNS threads=$THREADS raw=$WORK/$1.r$2.$3 out t0 t1
    local -a env_args=() hdrs=(-H "CF-Connecting-IP: $CLIENT_IP" -H "User-Agent: $USER_AGENT")
    if [[ $metric != small ]]; then
        conns=$HS_CONNS
        hdrs+=(-H "Connection: close")
        rm -f "$raw.shim"
        env_args=(LD_PRELOAD="$SHIM" WRK_TLS_STATS="$raw.shim")
        [[ $metric != hsfull ]] || env_args+=(WRK_TLS_NO_RESUME=1)
    fi
    ((threads <= conns)) || threads=$conns
    t0=$(cpu_ticks "$pid")
    out=$(env "${env_args[@]}" wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout 10s "${hdrs[@]}" \
        -s "$LUA" "https://localhost:$port/small" 2>&1) || { echo "$out" >&2; die "wrk failed against $name"; }
    t1=$(cpu_ticks "$pid")
    printf '%s\n' "$out" >"$raw.wrk"
    local line
    line=$(grep '^BENCH ' <<<"$out") || { echo "$out" >&2; die "no BENCH line from wrk"; }
    local -a w
    read -ra w <<<"${line#BENCH }"
    local requests duration_us p99_us errors secs rps
    requests=$(kv requests "${w[@]}")
    duration_us=$(kv duration_us "${w[@]}")
    p99_us=$(kv p99_us "${w[@]}")
    errors=$(($(kv errors "${w[@]}") + $(kv non2xx "${w[@]}")))
    secs=$(awk -v d="$duration_us" 'BEGIN{print d / 1e6}')
    rps=$(awk -v r="$requests" -v s="$secs" 'BEGIN{printf "%.1f", r / s}')
    record "$name" "$round" "${metric}_rps" "$rps"
    record "$name" "$round" "${metric}_p99_ms" "$(awk -v p="$p99_us" 'BEGIN{printf "%.3f", p / 1000}')"
    record "$name" "$round" "${metric}_errors" "$errors"
    if [[ -n $pid ]]; then
        record "$name" "$round" "${metric}_cpu_us_per_req" \
            "$(awk -v t="$((t1 - t0))" -v k="$CLK_TCK" -v r="$requests" 'BEGIN{printf "%.1f", (r > 0) ? t / k * 1e6 / r : 0}')"
    fi
    local extra=
    if [[ $metric != small ]]; then
        [[ -s $raw.shim ]] || die "wrk-tls-shim wrote no statistics ($raw.shim): was it loaded?"
        local -a s
        read -ra s <"$raw.shim"
        local hs resumed hs_p99_us cpr pct
        hs=$(kv handshakes "${s[@]}")
        resumed=$(kv resumed "${s[@]}")
        hs_p99_us=$(kv hs_p99_us "${s[@]}")
        cpr=$(awk -v h="$hs" -v r="$requests" 'BEGIN{printf "%.3f", (r > 0) ? h / r : 0}')
        pct=$(awk -v h="$hs" -v m="$resumed" 'BEGIN{printf "%.1f", (h > 0) ? 100 * m / h : 0}')
        record "$name" "$round" "${metric}_hs_p99_ms" "$(awk -v p="$hs_p99_us" 'BEGIN{printf "%.3f", p / 1000}')"
        record "$name" "$round" "${metric}_hs_per_req" "$cpr"
        record "$name" "$round" "${metric}_resumed_pct" "$pct"
        extra=$(printf 'handshake p99 %s ms  handshakes/request %s  resumed %s%%' \
            "$(awk -v p="$hs_p99_us" 'BEGIN{printf "%.2f", p / 1000}')" "$cpr" "$pct")
        if awk -v c="$cpr" 'BEGIN{exit !(c < 0.99)}'; then
            log "WARNING: $name $metric: $hs handshakes for $requests requests: wrk did not reconnect every request"
        fi
        if [[ $metric == hsfull && $resumed != 0 ]]; then
            log "WARNING: $name hsfull: $resumed of $hs handshakes resumed (the shim should prevent it)"
        fi
        if [[ $metric == hsres ]] && awk -v p="$pct" 'BEGIN{exit !(p < 90)}'; then
            log "WARNING: $name hsres: only $pct% of handshakes resumed: the server does not resume wrk's sessions"
        fi
    fi
    if ((errors > 0)); then
        log "WARNING: $name $metric: $errors errors (socket errors + non-2xx/3xx; see $raw.wrk)"
    fi
    printf '    %-7s %9s req/s  p99 %8s ms  %s%s\n' "$metric" "$(awk -v r="$rps" 'BEGIN{printf "%.0f", r}')" \
        "$(awk -v p="$p99_us" 'BEGIN{printf "%.2f", p / 1000}')" "$extra" \
        "$( ((errors)) && echo "  errors $errors")" >&2
}

METRICS=()
choose_metrics() {
    local h
    METRICS=(small)
    for h in $HANDSHAKES; do
        case $h in
        full) METRICS+=(hsfull) ;;
        resumed) METRICS+=(hsres) ;;
        none) ;;
        *) die "HANDSHAKES: '$h' is not full, resumed or none" ;;
        esac
    done
}

cmd_run() {
    local n r k m count
    [[ $ROUNDS =~ ^[1-9][0-9]*$ && $DURATION =~ ^[1-9][0-9]*$ && $WARMUP =~ ^[0-9]+$ ]] ||
        die "ROUNDS, DURATION must be positive integers, WARMUP an integer"
    choose_metrics
    ((${#METRICS[@]} == 1)) || build_shim
    parse_targets "$@"
    WORK=$BENCH_DIR/runs/$(date +%Y%m%d-%H%M%S)-tls
    mkdir -p "$WORK"
    log "raw files: $WORK"
    prepare
    trap 'echo "run-tls.sh: failed at line $LINENO (raw results so far: $WORK)" >&2' ERR
    RESULTS=$WORK/results.tsv
    : >"$RESULTS"

    log "targets: $(for n in "${NAMES[@]}"; do printf '%s=%s(pid %s) ' "$n" "${PORT_OF[$n]}" "${PID_OF[$n]:-n/a}"; done)"
    log "workloads: ${METRICS[*]}; ${ROUNDS} rounds x ${DURATION}s; warm-up ${WARMUP}s per target and workload"
    if ((WARMUP > 0)); then
        for n in "${NAMES[@]}"; do
            wrk -t"$THREADS" -c"$SMALL_CONNS" -d"${WARMUP}s" -H "CF-Connecting-IP: $CLIENT_IP" \
                -H "User-Agent: $USER_AGENT" "https://localhost:${PORT_OF[$n]}/small" >/dev/null
            for m in "${METRICS[@]}"; do
                [[ $m != small ]] || continue
                env LD_PRELOAD="$SHIM" WRK_TLS_NO_RESUME="$([[ $m == hsfull ]] && echo 1 || echo 0)" \
                    wrk -t"$THREADS" -c"$HS_CONNS" -d"${WARMUP}s" -H "CF-Connecting-IP: $CLIENT_IP" \
                    -H "User-Agent: $USER_AGENT" -H "Connection: close" "https://localhost:${PORT_OF[$n]}/small" >/dev/null
            done
        done
    fi

    count=${#NAMES[@]}
    for ((r = 1; r <= ROUNDS; r++)); do
        for ((k = 0; k < count; k++)); do
            n=${NAMES[$(((k + r - 1) % count))]}
            log "round $r/$ROUNDS: $n (port ${PORT_OF[$n]})"
            for m in "${METRICS[@]}"; do
                wrk_tls "$n" "$r" "$m"
                sleep 1
            done
        done
    done

    local targets=$WORK/targets.tsv
    : >"$targets"
    for n in "${NAMES[@]}"; do
        printf '%s\t%s\t%s\t%s\n' "$n" "${PORT_OF[$n]}" "${PID_OF[$n]}" "${TLS_OF[$n]}" >>"$targets"
    done
    MACHINE_CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
    VERSIONS="$(nginx -v 2>&1 | sed 's/.*: //' || true); $(openssl version); wrk $(wrk -v 2>&1 | awk 'NR==1 {print $2}' || true)"
    export MACHINE_CPU VERSIONS ROUNDS DURATION THREADS HS_CONNS WARMUP CLIENT_IP USER_AGENT SMALL_CONNS
    python3 "$TLS_HERE/report-tls.py" "$RESULTS" "$targets" "${OUT:-}" | tee "$WORK/report.md"
}

cmd_check() {
    parse_targets "$@"
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
    prepare
    log "checks passed"
}

case ${1:-} in
init) cmd_init ;;
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
check) shift; cmd_check "$@" ;;
run) shift; cmd_run "$@" ;;
*) usage ;;
esac
