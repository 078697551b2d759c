#!/usr/bin/env python3
"""report-tls.py RESULTS_TSV TARGETS_TSV [OUT_JSON] - summarise a run-tls.sh run.

Prints markdown tables of each metric's median over the rounds, with its ratio to nginx-tls
(or to the first target when nginx-tls was not measured), and writes everything (raw per-round
values included) to OUT_JSON if given. Called by run-tls.sh; not meant to be run by hand.
Same conventions as ../shared/bench/report.py.
"""
import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict

# (metric key, column title, number format, ratio shown)
MAIN = [
    ("small_rps", "TLS small req/s", "{:,.0f}", True),
    ("small_p99_ms", "small p99 ms", "{:.2f}", True),
    ("hsfull_rps", "full handshakes/s", "{:,.0f}", True),
    ("hsfull_hs_p99_ms", "full handshake p99 ms", "{:.2f}", True),
    ("hsres_rps", "resumed handshakes/s", "{:,.0f}", True),
    ("hsres_hs_p99_ms", "resumed handshake p99 ms", "{:.2f}", True),
]
DETAIL = [
    ("small_cpu_us_per_req", "CPU µs/small req", "{:.1f}", True),
    ("hsfull_cpu_us_per_req", "CPU µs/full hs", "{:.1f}", True),
    ("hsres_cpu_us_per_req", "CPU µs/resumed hs", "{:.1f}", True),
    ("hsfull_p99_ms", "request p99 ms after full hs", "{:.2f}", True),
    ("hsres_p99_ms", "request p99 ms after resumed hs", "{:.2f}", True),
    ("hsfull_hs_per_req", "full: handshakes/req", "{:.3f}", False),
    ("hsfull_resumed_pct", "full: resumed %", "{:.1f}", False),
    ("hsres_hs_per_req", "resumed: handshakes/req", "{:.3f}", False),
    ("hsres_resumed_pct", "resumed: resumed %", "{:.1f}", False),
]


def main():
    results_path, targets_path = sys.argv[1], sys.argv[2]
    out_path = sys.argv[3] if len(sys.argv) > 3 else ""

    targets = []  # in the order given on the command line
    info = {}
    with open(targets_path) as f:
        for line in f:
            name, port, pid, tls = (line.rstrip("\n").split("\t") + [""] * 4)[:4]
            targets.append(name)
            info[name] = {"port": int(port), "pid": int(pid) if pid else None, "tls": tls}

    raw = defaultdict(lambda: defaultdict(list))  # target -> metric -> [(round, value)]
    with open(results_path) as f:
        for line in f:
            name, rnd, metric, value = line.rstrip("\n").split("\t")
            raw[name][metric].append((int(rnd), float(value)))

    medians = {n: {k: statistics.median(v for _, v in vals) for k, vals in raw[n].items()} for n in targets}
    base = "nginx-tls" if "nginx-tls" in targets else targets[0]
    ratios = {}
    for name in targets:
        ratios[name] = {}
        for key, _, _, _ in MAIN + DETAIL:
            a, b = medians[name].get(key), medians[base].get(key)
            ratios[name][key] = round(a / b, 3) if a is not None and b else None
    errors = {n: int(sum(sum(v for _, v in vals) for k, vals in raw[n].items() if k.endswith("_errors")))
              for n in targets}

    def table(columns, last=None):
        columns = [c for c in columns if any(c[0] in medians[n] for n in targets)]
        head = ["target"] + [t for _, t, _, _ in columns] + ([last[0]] if last else [])
        print("| " + " | ".join(head) + " |")
        print("|---|" + "---:|" * (len(head) - 1))
        for name in targets:
            cells = []
            for key, _, fmt, show_ratio in columns:
                v = medians[name].get(key)
                if v is None:
                    cells.append("n/a")
                    continue
                r = ratios[name][key]
                cells.append(fmt.format(v) + (f" ({r:.2f}×)" if show_ratio and r is not None else ""))
            if last:
                cells.append(last[1](name))
            print(f"| {name} | " + " | ".join(cells) + " |")
        print()

    env = os.environ
    print()
    print(f"Machine: {env.get('MACHINE_CPU', '?')}, {os.cpu_count()} CPUs, Linux {platform.release()}; "
          f"{env.get('VERSIONS', '')}")
    print(f"Rounds: {env.get('ROUNDS')} x {env.get('DURATION')} s per wrk run, {env.get('THREADS')} threads, "
          f"small: {env.get('SMALL_CONNS')} kept-alive connections, handshakes: {env.get('HS_CONNS')} connections "
          f"with Connection: close; medians over rounds; (x.xx×) = ratio to {base}")
    print()
    table(MAIN, ("errors", lambda n: str(errors[n])))
    if any(k.startswith("hs") for n in targets for k in medians[n]):
        print("Handshake p99: the TLS handshake alone, client side (wrk-tls-shim). Request p99 (below): wrk's, "
              "from writing the request to the end of the response, which starts after the handshake.")
        print()
    table(DETAIL, ("TLS (OpenSSL client)", lambda n: info[n]["tls"] or "?"))

    if out_path:
        doc = {
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": {"cpu": env.get("MACHINE_CPU"), "cpus": os.cpu_count(),
                        "kernel": platform.release(), "versions": env.get("VERSIONS")},
            "params": {k.lower(): env.get(k) for k in
                       ("ROUNDS", "DURATION", "THREADS", "SMALL_CONNS", "HS_CONNS", "WARMUP", "CLIENT_IP",
                        "USER_AGENT")},
            "baseline": base,
            "units": {"_rps": "requests/s (hs*: = handshakes/s)", "_p99_ms": "ms (wrk, 99th percentile)",
                      "_hs_p99_ms": "ms, TLS handshake, client side (99th percentile)",
                      "_cpu_us_per_req": "target CPU µs per request", "_hs_per_req": "handshakes per request",
                      "_resumed_pct": "% of handshakes the server resumed"},
            "targets": {
                n: {**info[n],
                    "median": {k: round(v, 3) for k, v in medians[n].items()},
                    "ratio_vs_baseline": ratios[n],
                    "errors": errors[n],
                    "rounds": {k: [v for _, v in sorted(vals)] for k, vals in raw[n].items()}}
                for n in targets},
        }
        with open(out_path, "w") as f:
            json.dump(doc, f, indent=2)
        print(f"JSON written to {out_path}")


if __name__ == "__main__":
    main()
