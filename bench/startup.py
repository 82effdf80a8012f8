#!/usr/bin/env python3
"""`viewfinder serve` starting on a large catalogue: the first start reads the whole catalogue and saves the search
snapshot; a restart loads the snapshot. Time from process start to the first answered search, and the resident
memory of the idle server (the whole process tree, from /proc), for both.

    python3 bench/startup.py [--size 1000000] [--vectors] [--keep] [--cold] [--read-mib-per-s 400]

--cold drops the data folder and the binary from the page cache before each restart; --read-mib-per-s holds the
server's reads to a disk of that speed (a block-I/O cgroup, root only), since a virtual machine's host may cache
what the guest dropped. VIEWFINDER_BINARY names another build to measure (one kept from before a change).

The catalogue is the shared workload's documents (../shared/bench, SEED=42) written straight into a catalogue the
real binary created (photos with their metadata, descriptions with caption, labels, OCR text and place; with
--vectors, a 384-dimension vector per photo). The reference is the first start, measured in the same run: the
whole-catalogue read and engine build a start without a snapshot has to do.
"""
import argparse
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import VIEWFINDER, WORK, machine, require_release_build
from search import workload


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry.name))
            except OSError:
                continue
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in open(f"/proc/{current}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        stack += children.get(current, [])
    return total / 1024


def add_vectors(base: Path, data: Path) -> None:
    """A copy of the catalogue without vectors, with a 384-dimension unit vector per photo (random, drawn with
    numpy a batch at a time)."""
    import numpy
    subprocess.run(["rm", "-rf", str(data)], check=True)
    (data / "empty-library").mkdir(parents=True)
    for name in ["catalogue.sqlite", "thumbnails.sqlite"]:
        source, copy = sqlite3.connect(base / name), sqlite3.connect(data / name)
        source.backup(copy)
        source.close()
        copy.close()
    db = sqlite3.connect(data / "catalogue.sqlite")
    db.execute("PRAGMA synchronous = OFF")
    ids = [row[0] for row in db.execute("SELECT id FROM photo ORDER BY id")]
    generator = numpy.random.default_rng(7)
    with db:
        for start in range(0, len(ids), 20000):
            batch = ids[start:start + 20000]
            rows = generator.standard_normal((len(batch), 384), dtype=numpy.float32)
            rows /= numpy.linalg.norm(rows, axis=1, keepdims=True)
            db.executemany("INSERT INTO vector (photoID, model, vector) VALUES (?, 'all-MiniLM-L6-v2', ?)",
                           ((photo, row.tobytes()) for photo, row in zip(batch, rows)))
    db.close()


def make_catalogue(docs: Path, data: Path, vectors: bool) -> None:
    marker = data / ".complete"
    if marker.exists():
        return
    if vectors:
        # The catalogue without vectors (made first if it is not there yet), copied, and the vectors added.
        base = data.parent / data.name.removesuffix("-vectors")
        make_catalogue(docs, base, False)
        add_vectors(base, data)
        marker.touch()
        return
    subprocess.run(["rm", "-rf", str(data)], check=True)
    empty = data / "empty-library"
    empty.mkdir(parents=True)
    subprocess.run([str(VIEWFINDER), "index", "--data", str(data), "--no-vision", str(empty)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = sqlite3.connect(data / "catalogue.sqlite")
    db.execute("PRAGMA synchronous = OFF")
    now = time.time()
    seen = set()
    with db:
        for line in open(docs):
            d = json.loads(line)
            # The workload repeats a few paths (a camera counter reused in one folder): a catalogue holds a path once.
            if d["path"] in seen:
                d["path"] = d["path"].replace(".", f"-{d['id']}.", 1) if "." in d["path"] else f"{d['path']}-{d['id']}"
            seen.add(d["path"])
            camera, place = d.get("camera") or {}, d.get("place") or {}
            digest = hashlib.sha256(str(d["id"]).encode()).hexdigest()
            db.execute("""INSERT INTO photo (id, path, fileSize, modifiedAt, contentHash, format, width, height, orientation, taken,
                          make, model, keywords, indexedAt) VALUES (?, ?, 4000000, 0, ?, 'jpeg', ?, ?, 1, ?, ?, ?, '[]', ?)""",
                       (d["id"], d["path"], digest, d["width"], d["height"], d["taken"], camera.get("make"), camera.get("model"), now))
            labels = json.dumps([{"name": label, "score": 0.9} for label in d["labels"]])
            db.execute("""INSERT INTO description (photoID, contentHash, caption, labels, text, faces, faceCount, place, models,
                          describedAt) VALUES (?, ?, ?, ?, ?, '[]', ?, ?, '[]', ?)""",
                       (d["id"], digest, d["caption"], labels, d["text"], d["faces"], json.dumps(place) if place else None, now))
    db.close()
    marker.touch()


def throttled_reads(data: Path, mib_per_s: int) -> Path:
    """A block-I/O cgroup whose reads from the data folder's disk are held to `mib_per_s` (a disk of that speed,
    whatever the host caches underneath): cgroup v1's blkio or v2's io.max, which needs root."""
    device = os.stat(data).st_dev
    spec = f"{os.major(device)}:{os.minor(device)}"
    v1 = Path("/sys/fs/cgroup/blkio")
    group = (v1 if v1.is_dir() else Path("/sys/fs/cgroup")) / "viewfinder-startup"
    try:
        group.mkdir(exist_ok=True)
        if v1.is_dir():
            (group / "blkio.throttle.read_bps_device").write_text(f"{spec} {mib_per_s << 20}")
        else:
            (group / "io.max").write_text(f"{spec} rbps={mib_per_s << 20}")
    except OSError as error:
        # Not root, no io controller delegated (cgroup v2 in a container), or a device the throttle does not take
        # (a partition, LVM, overlay or btrfs: it wants the whole disk's number).
        raise SystemExit(f"cannot hold reads from device {spec} to {mib_per_s} MiB/s in {group}: {error}")
    return group


def start(data: Path, port: int, group: Path | None, log: Path) -> tuple[subprocess.Popen, float]:
    """The server (its output in `log`), and seconds from its start to the first search it answered."""
    started = time.perf_counter()
    join = (lambda: (group / "cgroup.procs").write_text(str(os.getpid()))) if group else None
    with open(log, "w") as output:
        server = subprocess.Popen([str(VIEWFINDER), "serve", "--data", str(data), "--port", str(port), "--no-vision"],
                                  stdout=output, stderr=subprocess.STDOUT, preexec_fn=join)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=cat+sofa&limit=30", timeout=5) as reply:
                if json.load(reply)["total"] > 0:
                    return server, time.perf_counter() - started
        except OSError:
            if server.poll() is not None:
                raise SystemExit("the server stopped before answering")
            time.sleep(0.02)


def vectors_seconds(log: Path) -> float | None:
    """How long the saved vectors took to read (their thread starts once the rest has loaded, before the first
    answer), from the server's log; None while they are still being read, or when the build never says."""
    for line in log.read_text(errors="replace").splitlines():
        if "search snapshot's vectors loaded" in line and "seconds=" in line:
            return float(line.split("seconds=")[1].split()[0])
    return None


def evict(data: Path) -> None:
    """Drops the data folder's files and the binary from the page cache (not the Swift runtime and system libraries,
    and not the disk's own cache, or the host's under a virtual machine: `--read-mib-per-s` stands in for those)."""
    os.sync()  # pages not yet written cannot be dropped
    for path in [VIEWFINDER, *data.iterdir()]:
        if path.is_file():
            descriptor = os.open(path, os.O_RDONLY)
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            os.close(descriptor)


def search_ms(port: int, queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q={urllib.parse.quote(query)}&limit=30") as reply:
            reply.read()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--vectors", action="store_true", help="a 384-dimension vector per photo too")
    parser.add_argument("--port", type=int, default=18190)
    parser.add_argument("--restarts", type=int, default=3, help="restarts measured after the first start")
    parser.add_argument("--keep", action="store_true", help="keep the saved snapshot: measure restarts only")
    parser.add_argument("--cold", action="store_true", help="before each restart, drop the data folder and the binary from the page cache")
    parser.add_argument("--read-mib-per-s", type=int, help="hold the server's disk reads to this speed (a cgroup; needs root)")
    args = parser.parse_args()
    require_release_build()
    docs, queries_file = workload(args.size)
    data = WORK / f"startup-{args.size}{'-vectors' if args.vectors else ''}"
    began = time.perf_counter()
    make_catalogue(docs, data, args.vectors)
    print(f"catalogue ready in {time.perf_counter() - began:.0f} s ({args.size} photos)")
    queries = [line for line in open(queries_file).read().split("\n") if line][:300]
    snapshot = data / "search.snapshot"
    if not args.keep:
        snapshot.unlink(missing_ok=True)
    print(machine())
    group = throttled_reads(data, args.read_mib_per_s) if args.read_mib_per_s else None
    log = WORK / "startup-server.log"
    rows = []
    starts = ([] if args.keep else ["first start (reads the catalogue)"]) + [f"restart {n + 1} (loads the snapshot)" for n in range(args.restarts)]
    for name in starts:
        if args.cold and name.startswith("restart"):
            evict(data)
        server, seconds = start(data, args.port, group, log)
        while not snapshot.exists():
            time.sleep(0.1)
        time.sleep(3)
        # Memory and latency once the vectors are in (a restart reads them while it already answers).
        loaded = "search snapshot loaded" in log.read_text(errors="replace")
        # (A build that reads them before answering never logs their arrival: 20 s is well over any read measured.)
        waited = time.perf_counter()
        while args.vectors and loaded and vectors_seconds(log) is None and server.poll() is None and time.perf_counter() - waited < 20:
            time.sleep(0.1)
        vectors = vectors_seconds(log) if loaded else None
        # A start that read the catalogue (a snapshot of another version, with --keep) saves in the background.
        while (data / f"search.snapshot.partial-{server.pid}").exists():
            time.sleep(0.2)
        rss = tree_rss_mib(server.pid)
        times = search_ms(args.port, queries)
        rows.append((name, seconds, vectors, rss, times[len(times) // 2], times[int(len(times) * 0.99)]))
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    if group:
        group.rmdir()  # empty once its servers ended
    print(f"snapshot file: {snapshot.stat().st_size / 2**20:.0f} MiB")
    print("| start | first answered search (s) | vectors' read (s) | idle RSS, whole tree (MiB) | /api/search p50 / p99 (ms, 300 queries) |")
    print("|---|---|---|---|---|")
    for name, seconds, vectors, rss, p50, p99 in rows:
        print(f"| {name} | {seconds:.2f} | {'-' if vectors is None else f'{vectors:.2f}'} | {rss:.0f} | {p50:.2f} / {p99:.2f} |")


if __name__ == "__main__":
    main()
