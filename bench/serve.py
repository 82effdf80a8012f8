"""Server benchmark on loopback: the real server (`serve-bench`) over the shared workload's documents.

    python3 bench/serve.py [--size 100000] [--seconds 10]
    python3 bench/serve.py --worker-states [--size 100000]

- /api/search: every as-you-type query of ../shared/bench in turn over one keep-alive connection (top 30 with
  facets, as the page asks), against the same engine's in-process time for the same work (search-bench --page)
  in this invocation: the difference is what HTTP and JSON cost.
- /thumb/{id}: wrk with 2 connections for --seconds, against nginx serving the same WebP file from disk.
- First page load: bytes of the HTML, CSS and JavaScript the search page loads.
- With --worker-states: /api/search alone, every query over one connection, with documents that have vectors and
  a stand-in query worker that is up (5 ms an embedding), stopped (fails at once) or restarting (30 s a call):
  search must keep its time when the worker is down.
Needs the release build (swift build -c release) and the demo library indexed into bench/.work/demo-data
(done here when missing); wrk and nginx come from apt.
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

from common import ROOT, VIEWFINDER, WORK, machine
from search import workload

SERVE_BENCH = ROOT / ".build" / "release" / "serve-bench"
SEARCH_BENCH = ROOT / ".build" / "release" / "search-bench"
DEMO_DATA = WORK / "demo-data"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, path="/", seconds=300):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"nothing answered on port {port}")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def search_latencies(port, queries, extra=""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    latencies, failed = [], 0
    for query in queries[:50]:  # warm: first requests allocate
        connection.request("GET", "/api/search?limit=30" + extra + "&q=" + urllib.parse.quote(query))
        connection.getresponse().read()
    for query in queries:
        started = time.perf_counter_ns()
        connection.request("GET", "/api/search?limit=30" + extra + "&q=" + urllib.parse.quote(query))
        response = connection.getresponse()
        response.read()
        latencies.append((time.perf_counter_ns() - started) / 1e6)
        failed += response.status not in (200, 400)
    return latencies, failed


def wrk(url, seconds):
    output = subprocess.run(["wrk", "-t", "2", "-c", "2", "-d", f"{seconds}s", "--latency", url],
                            capture_output=True, text=True, check=True).stdout
    requests = float(next(line.split()[1] for line in output.splitlines() if line.startswith("Requests/sec")))
    p99 = next((line.split()[1] for line in output.splitlines() if line.strip().startswith("99%")), "?")
    return requests, p99


def nginx_reference(webp, seconds):
    """nginx (Debian's) serving the same thumbnail bytes from a file: a well-tuned static server's rate."""
    folder = tempfile.mkdtemp(prefix="vf-nginx-")
    with open(os.path.join(folder, "thumb.webp"), "wb") as out:
        out.write(webp)
    port = free_port()
    config = os.path.join(folder, "nginx.conf")
    with open(config, "w") as out:
        out.write(f"""worker_processes 1; daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{ access_log off; server {{ listen 127.0.0.1:{port}; root {folder}; keepalive_requests 1000000;
  location / {{ add_header Cache-Control "private, max-age=31536000, immutable"; }} }} }}""")
    process = subprocess.Popen(["nginx", "-c", config, "-p", folder], stderr=subprocess.DEVNULL)
    try:
        wait_for(port, "/thumb.webp", 20)
        return wrk(f"http://127.0.0.1:{port}/thumb.webp", seconds)
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def page_weight(port):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    sizes = {}
    for path in ["/", "/assets/app.css", "/assets/thumbhash.js", "/assets/app.js", "/favicon.svg"]:
        connection.request("GET", path)
        sizes[path] = len(connection.getresponse().read())
    return sizes


def summary(latencies):
    return {"p50": percentile(latencies, 0.5), "p90": percentile(latencies, 0.9), "p99": percentile(latencies, 0.99),
            "max": max(latencies)}


def worker_states(docs, queries, size):
    """/api/search with the query worker up, stopped and restarting; words only (semantic=0) as the reference."""
    report = {"machine": machine(), "documents": size, "queries": len(queries)}
    for state in ("up", "stopped", "restarting"):
        port = free_port()
        server = subprocess.Popen([str(SERVE_BENCH), str(docs), str(DEMO_DATA), str(port), state])
        try:
            wait_for(port)
            latencies, failed = search_latencies(port, queries)
            words, _ = search_latencies(port, queries, "&semantic=0") if state == "up" else ([], 0)
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:  # a stand-in call still sleeping
                server.kill()
        report[state] = {**summary(latencies), "failed": failed}
        if words:
            report["wordsOnly"] = summary(words)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--worker-states", action="store_true")
    options = parser.parse_args()
    for tool in () if options.worker_states else ("wrk", "nginx"):
        if not shutil.which(tool):
            subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk", "nginx-light"], check=True)
    if not (DEMO_DATA / "catalogue.sqlite").exists():
        subprocess.run([str(VIEWFINDER), "index", "--data", str(DEMO_DATA), "--no-vision", str(ROOT / "demo-library")], check=True)
    docs, queries_file = workload(options.size)
    queries = [line for line in open(queries_file).read().splitlines() if line]
    if options.worker_states:
        print(json.dumps(worker_states(docs, queries, options.size), indent=2))
        return

    in_process = json.loads(subprocess.run([str(SEARCH_BENCH), str(docs), str(queries_file), "--page"], capture_output=True,
                                           text=True, check=True).stdout)
    port = free_port()
    server = subprocess.Popen([str(SERVE_BENCH), str(docs), str(DEMO_DATA), str(port)])
    try:
        wait_for(port)
        latencies, failed = search_latencies(port, queries)
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("GET", "/api/search?q=&limit=1")
        thumb = json.loads(connection.getresponse().read())["hits"][0]["thumb"]
        connection.request("GET", thumb)
        webp = connection.getresponse().read()
        thumbs, thumbs_p99 = wrk(f"http://127.0.0.1:{port}{thumb}", options.seconds)
        weight = page_weight(port)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    nginx, nginx_p99 = nginx_reference(webp, options.seconds)
    report = {
        "machine": machine(), "documents": options.size, "queries": len(queries), "failed": failed,
        "apiSearch": {"p50": percentile(latencies, 0.5), "p90": percentile(latencies, 0.9), "p99": percentile(latencies, 0.99)},
        "inProcess": {key: in_process[key] for key in ("p50", "p90", "p99")},
        "thumbs": {"requestsPerSecond": thumbs, "p99": thumbs_p99, "bytes": len(webp)},
        "nginxSameFile": {"requestsPerSecond": nginx, "p99": nginx_p99},
        "thumbsRatioToNginx": thumbs / nginx,
        "firstPageBytes": sum(weight.values()), "pageFiles": weight,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.exit(main())
