#!/usr/bin/env python3
"""A scrape target for the ingest benchmark: JOBS ports from BASE_PORT, each serving SERIES changing series.

Counters grow by a random step per scrape; gauges move randomly with two decimals, like real exporters.
usage: target.py BASE_PORT [jobs=10] [series=10000]
"""
import http.server
import random
import sys
import threading

base = int(sys.argv[1])
jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
series = int(sys.argv[3]) if len(sys.argv) > 3 else 10000


def make_handler(job):
    state = {"n": 0, "counters": [0] * (series // 2)}
    lock = threading.Lock()
    rng = random.Random(job)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            with lock:
                state["n"] += 1
                counters = state["counters"]
                lines = ["# TYPE bench_requests_total counter"]
                for i in range(len(counters)):
                    counters[i] += rng.randint(0, 50)
                    lines.append(f'bench_requests_total{{job_part="{job}",id="{i}"}} {counters[i]}')
                lines.append("# TYPE bench_latency_seconds gauge")
                for i in range(series - len(counters)):
                    lines.append(f'bench_latency_seconds{{job_part="{job}",id="{i}"}} {rng.uniform(0, 2):.2f}')
            body = ("\n".join(lines) + "\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


servers = []
for j in range(jobs):
    s = http.server.ThreadingHTTPServer(("127.0.0.1", base + j), make_handler(j))
    threading.Thread(target=s.serve_forever, daemon=True).start()
    servers.append(s)
threading.Event().wait()
