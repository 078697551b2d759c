#!/usr/bin/env bash
# pair.sh [-n PAIRS] [-d SECONDS] [-c CONNECTIONS] A=PORT:PIDS B=PORT:PIDS - A/B comparison of two
# running targets (plexgate and a peer, say) on run.sh's small case: PAIRS pairs of back-to-back
# wrk runs, the order within a pair alternating, each run reporting req/s, p99 and the CPU its
# PIDS (comma-separated: an nginx's workers) used per request (user and system, all threads).
#
# On a 2-core machine one 10 s round moves by ±15 %, so one run of run.sh cannot see a 5 %
# change. Back-to-back pairs share the machine's state of the moment, and counting the pairs B
# wins (a sign test: 10 of 10 happens by chance once in 1,000) separates a real difference
# from noise. Start both targets in sessions of their own (see bench/shared-bench.yml).
# It compares two processes, not two builds: two JVMs of the same build differ by up to ±10 %
# here, so to compare builds or JVM options use bench/ab.sh, which runs this on fresh JVMs.
#
#   bench/pair.sh -n 12 -d 5 nginx=18081:1234,1235 plexgate=32401:5678
#
# Environment: CLIENT_IP (203.0.113.7), USER_AGENT (run.sh's), PATH_SMALL (/small).
set -euo pipefail

pairs=10 seconds=5 connections=64
while getopts n:d:c: option; do
    case $option in
        n) pairs=$OPTARG ;;
        d) seconds=$OPTARG ;;
        c) connections=$OPTARG ;;
        *) sed -n '2,5p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [[ $# -ne 2 || $1 != *=*:* || $2 != *=*:* ]]; then
    sed -n '2,5p' "$0" >&2
    exit 2
fi

CLIENT_IP=${CLIENT_IP:-203.0.113.7}
USER_AGENT=${USER_AGENT:-Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36}
PATH_SMALL=${PATH_SMALL:-/small}
CLK_TCK=$(getconf CLK_TCK)

# user and system clock ticks of comma-separated processes, all their threads
cpu_ticks() {
    local pid stat total=0
    for pid in ${1//,/ }; do
        stat=$(<"/proc/$pid/stat")
        read -r -a fields <<<"${stat##*) }"
        total=$((total + fields[11] + fields[12]))
    done
    echo "$total"
}

# one wrk run against target $1 (NAME=PORT:PIDS): "NAME req/s p99_ms cpu_us_per_request"
measure() {
    local name=${1%%=*} port pid before after out
    port=${1#*=}; pid=${port#*:}; port=${port%%:*}
    before=$(cpu_ticks "$pid")
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "CF-Connecting-IP: $CLIENT_IP" \
        -H "User-Agent: $USER_AGENT" "http://127.0.0.1:$port$PATH_SMALL")
    after=$(cpu_ticks "$pid")
    awk -v name="$name" -v ticks=$((after - before)) -v hz="$CLK_TCK" '
        /requests in/ { requests = $1 }
        /Requests\/sec/ { rate = $2 }
        $1 == "99%" { p99 = $2; if (p99 ~ /us$/) p99 /= 1000; else if (p99 ~ /s$/ && p99 !~ /ms$/) p99 *= 1000; p99 += 0 }
        END { printf "%s %.0f %.2f %.1f\n", name, rate, p99, ticks / hz * 1e6 / requests }' <<<"$out"
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for ((i = 1; i <= pairs; i++)); do
    if ((i % 2)); then first=$1 second=$2; else first=$2 second=$1; fi
    { measure "$first"; measure "$second"; } | tee -a "$results" | sed "s/^/pair $i: /"
done

python3 - "$results" "${1%%=*}" "${2%%=*}" <<'EOF'
import statistics, sys
path, a, b = sys.argv[1:]
runs = {a: [], b: []}
for line in open(path):
    name, rate, p99, cpu = line.split()
    runs[name].append((float(rate), float(p99), float(cpu)))
pairs = list(zip(runs[a], runs[b]))
print(f"\n{len(pairs)} pairs; medians (B = {b}, A = {a}):")
for column, label in ((0, "req/s"), (1, "p99 ms"), (2, "CPU us/req")):
    ma = statistics.median(x[column] for x in runs[a])
    mb = statistics.median(x[column] for x in runs[b])
    better = sum((y[column] > x[column]) if column == 0 else (y[column] < x[column]) for x, y in pairs)
    print(f"  {label:11s} A {ma:9.2f}  B {mb:9.2f}  B/A {mb / ma:5.3f}  B better in {better} of {len(pairs)}")
EOF
