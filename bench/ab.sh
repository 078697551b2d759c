#!/usr/bin/env bash
# ab.sh [-i ITERATIONS] [-n PAIRS] [-d SECONDS] [-w WARMUP] A B - compares two plexgate builds, or
# a build and a running peer, over several fresh JVMs: each iteration starts every jar afresh,
# warms it up, runs bench/pair.sh on the two targets and stops the jars again.
#
# Why not pair.sh alone: it compares two running processes, and two JVMs of the same build differ
# by up to ±10 % here (what the JIT compiles, where memory lands). On the 2-core bench machine,
# four fresh pairs of the same two builds gave req/s ratios from 0.88x to 1.05x, each iteration's
# pair.sh "certain" by its own sign test. A build difference smaller than that shows only in the
# medians over several iterations, and only when the iterations agree. The summary gives each
# iteration's ratios, the ratios over all runs, and a 90 % interval for those (iterations drawn
# again at random): a difference whose interval holds 1.000 is not one this run can show.
#
#   A, B  NAME=JAR [JVM OPTIONS]  a plexgate jar, run by packaging/bin/plexgate from
#                         bench/shared-bench.yml on a port of its own (32411 and 32412, swapped
#                         every iteration), with these options added (PLEXGATE_JAVA_OPTS)
#         NAME=PORT:PIDS  a target that is already running, as pair.sh takes it (an nginx peer)
#
#   bench/ab.sh -i 4 -n 4 before=/tmp/before.jar after=control/target/plexgate.jar
#   bench/ab.sh default=control/target/plexgate.jar "c2only=control/target/plexgate.jar -XX:-TieredCompilation"
#   bench/ab.sh nginx=18081:$(pgrep -d, -P "$(cat /tmp/plexgate-bench/peers/nginx/nginx.pid)") \
#       plexgate=control/target/plexgate.jar
#
# Environment: pair.sh's.
set -euo pipefail

iterations=4 pairs=4 seconds=5 warmup=25
while getopts i:n:d:w: option; do
    case $option in
        i) iterations=$OPTARG ;;
        n) pairs=$OPTARG ;;
        d) seconds=$OPTARG ;;
        w) warmup=$OPTARG ;;
        *) sed -n '2,4p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [[ $# -ne 2 || $1 != *=* || $2 != *=* ]]; then
    sed -n '2,4p' "$0" >&2
    exit 2
fi

bench=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$bench")
shared=$(cd "$repo/.." && pwd)/shared
work=$(mktemp -d)
started=()
# stops the jars this iteration started and waits until they are gone (the next one takes the port)
stop_started() {
    local pid
    for pid in "${started[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${started[@]}"; do
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    done
    started=()
}
trap 'stop_started; rm -rf "$work"' EXIT

# config SLOT: shared-bench.yml on port 3241SLOT, admin 127.0.0.1:982SLOT, its own events file,
# list paths made absolute (the copy lives in a temporary directory)
config() {
    sed -e "s/^listen: 127.0.0.1:32401$/listen: 127.0.0.1:3241$1/" \
        -e "s#\.\./\.\./shared/#$shared/#g" \
        -e "s#/tmp/plexgate-bench-events.jsonl#$work/events-$1.jsonl#" \
        "$bench/shared-bench.yml" >"$work/plexgate-$1.yml"
    printf 'admin:\n  listen: 127.0.0.1:982%s\n' "$1" >>"$work/plexgate-$1.yml"
    echo "$work/plexgate-$1.yml"
}

# is_jar SPEC: whether SPEC names a jar to start (rather than a running target)
is_jar() {
    local what=${1#*=}
    [[ ${what%% *} == *.jar ]]
}

# target SPEC SLOT: prints pair.sh's NAME=PORT:PIDS, starting the jar first when SPEC names one
target() {
    local name=${1%%=*} what=${1#*=}
    local jar=${what%% *}
    if is_jar "$1"; then
        local options=${what#"$jar"}
        PLEXGATE_JAR=$jar PLEXGATE_JAVA_OPTS=$options setsid "$repo/packaging/bin/plexgate" run \
            -c "$(config "$2")" >"$work/$name.log" 2>&1 </dev/null &
        echo "$name=3241$2:$!"
    else
        echo "$name=$what"
    fi
}

results=$work/results
for ((i = 1; i <= iterations; i++)); do
    if ((i % 2)); then slot_a=1 slot_b=2; else slot_a=2 slot_b=1; fi
    a=$(target "$1" $slot_a)
    b=$(target "$2" $slot_b)
    if is_jar "$1"; then started+=("${a##*:}"); fi
    if is_jar "$2"; then started+=("${b##*:}"); fi
    for spec in "$a" "$b"; do
        port=${spec#*=}
        port=${port%%:*}
        for ((t = 0; ; t++)); do
            if curl -s -o /dev/null "http://127.0.0.1:$port/"; then break; fi
            if ((t == 100)); then
                echo "ab.sh: nothing answers on port $port after 20 s (${spec%%=*}):" >&2
                cat "$work/${spec%%=*}.log" >&2 2>/dev/null || true
                exit 1
            fi
            sleep 0.2
        done
    done
    # warm-up: one pair of the same requests, for the JIT
    "$bench/pair.sh" -n 1 -d "$warmup" "$a" "$b" >/dev/null
    "$bench/pair.sh" -n "$pairs" -d "$seconds" "$a" "$b" | grep '^pair' | sed "s/^pair [0-9]*:/$i/" \
        | tee -a "$results"
    stop_started
done

python3 - "$results" "${1%%=*}" "${2%%=*}" <<'EOF'
import random, statistics, sys
path, a, b = sys.argv[1:]
runs = {}
for line in open(path):
    iteration, name, rate, p99, cpu = line.split()
    runs.setdefault(int(iteration), {a: [], b: []})[name].append((float(rate), float(p99), float(cpu)))
labels = ("req/s", "p99", "CPU/req")
def ratios(runs_a, runs_b):
    return [statistics.median(x[c] for x in runs_b) / statistics.median(x[c] for x in runs_a) for c in range(3)]
print(f"\nB = {b} against A = {a}, ratio of medians per iteration (fresh JVMs each):")
per_iteration = []
for iteration, by_name in sorted(runs.items()):
    r = ratios(by_name[a], by_name[b])
    per_iteration.append(r)
    print(f"  iteration {iteration}: " + "  ".join(f"{label} {value:5.3f}" for label, value in zip(labels, r)))
every = {name: [x for by_name in runs.values() for x in by_name[name]] for name in (a, b)}
r = ratios(every[a], every[b])
better = [sum((x[c] > 1) if c == 0 else (x[c] < 1) for x in per_iteration) for c in range(3)]
print("  all runs:    " + "  ".join(f"{label} {value:5.3f}" for label, value in zip(labels, r)))
print(f"  B better in " + ", ".join(f"{label} {n} of {len(per_iteration)}" for label, n in zip(labels, better))
      + " iterations")
# How far the all-runs ratios could move by chance: iterations are drawn again with replacement
# (each keeps its runs together, since the runs of one pair of JVMs are not independent) and the
# ratios recomputed. An interval that holds 1.000 means no difference this run could tell apart.
random.seed(1)
iterations = list(runs.values())
draws = []
for _ in range(2000):
    drawn = [random.choice(iterations) for _ in iterations]
    draws.append(ratios(*([x for by_name in drawn for x in by_name[name]] for name in (a, b))))
bounds = [sorted(d[c] for d in draws) for c in range(3)]
print("  90% interval " + "  ".join(f"{label} {values[len(values) // 20]:5.3f}-{values[-len(values) // 20 - 1]:5.3f}"
                                    for label, values in zip(labels, bounds)))
EOF
