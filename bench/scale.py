#!/usr/bin/env python3
"""Viewfinder on PostgreSQL: several indexer processes sharing one run, and search servers on a shared catalogue.

    python3 bench/scale.py [--photos 240] [--sizes 100000,1000000] [--skip-index] [--skip-search]

- Indexing: the same library (corpus JPEGs re-encoded at several sizes, so every file is distinct) indexed by 1,
  2 and 4 `viewfinder index --store URL --threads 1` processes at once on one PostgreSQL database (a fresh one for
  each), against one SQLite process with one thread in the same run. Photos per second of wall time, models off.
- Search: the shared workload's documents (bench/startup.py's catalogue, ../shared/bench, SEED=42) copied into
  PostgreSQL; `serve --store URL` started with an empty data folder (it reads the whole catalogue), then restarted
  (it loads its saved snapshot): seconds to the first answered search, and /api/search p50/p99 over 300 workload
  queries. The reference is the same server on the same documents in SQLite, in the same run.
The PostgreSQL server is the bench's own (initdb in bench/.work/scale-pg, run as nobody when root), stopped at
the end. Needs the release build (swift build -c release) and Debian's postgresql-15.
"""
import argparse
import csv
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from common import CORPUS, VIEWFINDER, WORK, machine, require_release_build
from search import workload
from startup import make_catalogue, search_ms, tree_rss_mib

PG = WORK / "scale-pg"


def pg_binary(name: str) -> str:
    versions = sorted(int(v) for v in os.listdir("/usr/lib/postgresql") if v.isdigit())
    return f"/usr/lib/postgresql/{versions[-1]}/bin/{name}"


def as_server_user(command: list[str]) -> list[str]:
    return (["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if os.getuid() == 0 else []) + command


class Postgres:
    """The bench's own server on a free port; fsync stays on, as a deployment would run it."""

    def __init__(self):
        shutil.rmtree(PG, ignore_errors=True)
        PG.mkdir(parents=True)
        if os.getuid() == 0:
            shutil.chown(PG, "nobody")
        import socket
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        subprocess.run(as_server_user([pg_binary("initdb"), "-D", str(PG / "data"), "-U", "viewfinder", "--auth=trust",
                                       "-E", "UTF8"]), check=True, stdout=subprocess.DEVNULL)
        subprocess.run(as_server_user([pg_binary("pg_ctl"), "-D", str(PG / "data"), "-l", str(PG / "log"), "-w", "start",
                                       "-o", f"-p {self.port} -k {PG} -c listen_addresses=127.0.0.1 -c shared_buffers=512MB"]),
                       check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)

    def database(self, name: str) -> str:
        subprocess.run([pg_binary("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "viewfinder", name], check=True)
        return f"postgresql://viewfinder@127.0.0.1:{self.port}/{name}"

    def psql(self, url: str, *arguments: str) -> str:
        return subprocess.run([pg_binary("psql"), url, "-v", "ON_ERROR_STOP=1", "-qAt", *arguments], check=True,
                              capture_output=True, text=True).stdout

    def stop(self):
        subprocess.run(as_server_user([pg_binary("pg_ctl"), "-D", str(PG / "data"), "-m", "fast", "stop"]),
                       stdout=subprocess.DEVNULL)


def make_library(count: int) -> Path:
    """Distinct camera-sized JPEGs: each corpus photo re-encoded at several sizes until there are `count`."""
    library = WORK / f"scale-library-{count}"
    if (library / ".complete").exists():
        return library
    shutil.rmtree(library, ignore_errors=True)
    library.mkdir(parents=True)
    sources = sorted(p for folder in ("content", "exif/cameras") for p in (CORPUS / folder).glob("*.jpg"))
    if not sources:
        raise SystemExit(f"no JPEGs in {CORPUS}/content or exif/cameras: set VIEWFINDER_CORPUS")
    made, size = 0, 2400
    while made < count:
        for source in sources:
            if made == count:
                break
            target = library / f"{source.stem}-{size}.jpg"
            subprocess.run(["vipsthumbnail", str(source), "-s", str(size), "-o", f"{target}[Q=90]"], check=True)
            made += 1
        size -= 160
    (library / ".complete").touch()
    return library


def index_run(store: list[str], library: Path, processes: int) -> float:
    started = time.perf_counter()
    running = [subprocess.Popen([str(VIEWFINDER), "index", "--no-vision", "--threads", "1", "--data",
                                 str(WORK / f"scale-node-{n}"), *store, str(library)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for n in range(processes)]
    for process in running:
        if process.wait() != 0:
            raise SystemExit(f"an indexer failed with status {process.returncode}")
    return time.perf_counter() - started


def indexing(pg: Postgres, photos: int):
    library = make_library(photos)
    single = WORK / "scale-sqlite"
    shutil.rmtree(single, ignore_errors=True)
    rows = [("SQLite, 1 process (reference)", 1, index_run(["--data", str(single)], library, 1))]
    for processes in (1, 2, 4):
        url = pg.database(f"index_{processes}_{int(time.time())}")
        rows.append((f"PostgreSQL, {processes} process{'es' if processes > 1 else ''}", processes,
                     index_run(["--store", url], library, processes)))
    print(f"\nIndexing {photos} distinct JPEGs (thumbnail and preview, models off), --threads 1 per process:")
    print("| run | seconds | photos/s | vs SQLite |")
    print("|---|---|---|---|")
    for name, _, seconds in rows:
        print(f"| {name} | {seconds:.1f} | {photos / seconds:.1f} | {rows[0][2] / seconds:.2f}x |")


def copy_into_postgres(pg: Postgres, sqlite_data: Path, url: str):
    """The catalogue's photos and descriptions, as they are, through COPY; the schema is the binary's own."""
    subprocess.run([str(VIEWFINDER), "status", "--store", url, "--data", str(WORK / "scale-node-0")], check=True,
                   stdout=subprocess.DEVNULL)
    import sqlite3
    db = sqlite3.connect(sqlite_data / "catalogue.sqlite")
    for table, columns in (("photo", "id, path, fileSize, modifiedAt, sidecarModifiedAt, contentHash, missing, format, width, "
                                     "height, orientation, taken, make, model, lens, focalLength, fNumber, exposureTime, iso, "
                                     "lat, lon, alt, rating, description, keywords, thumbhash, indexedAt"),
                           ("description", "photoID, contentHash, caption, labels, text, faces, faceCount, place, models, "
                                           "describedAt")):
        with tempfile.NamedTemporaryFile("w", newline="", suffix=".csv", delete=False) as out:
            writer = csv.writer(out)
            for row in db.execute(f"SELECT {columns} FROM {table}"):
                writer.writerow([postgres_text(name.strip(), value) for name, value in zip(columns.split(","), row)])
        # As a restore would: no change-log rows per photo (a new server reads the catalogue whole anyway).
        pg.psql(url, "-c", "SET session_replication_role = replica", "-c", f"\\copy {table} ({columns}) FROM '{out.name}' WITH (FORMAT csv, NULL '\\N')")
        os.unlink(out.name)
    pg.psql(url, "-c", "SELECT setval('photo_id_seq', (SELECT max(id) FROM photo))")


def postgres_text(column: str, value) -> str:
    """One SQLite value as COPY's CSV reads it: NULL, a boolean, bytea in hex, or the value."""
    if value is None:
        return "\\N"
    if column == "missing":
        return "true" if value else "false"
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    return value


def serve_once(store: list[str], data: Path, port: int, queries: list[str]):
    started = time.perf_counter()
    server = subprocess.Popen([str(VIEWFINDER), "serve", "--no-vision", "--port", str(port), "--data", str(data), *store],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import json
    import urllib.request
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=cat+sofa&limit=30", timeout=5) as reply:
                if json.load(reply)["total"] > 0:
                    break
        except OSError:
            if server.poll() is not None:
                raise SystemExit("the server stopped before answering")
            time.sleep(0.02)
    seconds = time.perf_counter() - started
    while not (data / "search.snapshot").exists():
        time.sleep(0.1)
    time.sleep(3)
    rss = tree_rss_mib(server.pid)
    times = search_ms(port, queries)
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
    return seconds, rss, times[len(times) // 2], times[int(len(times) * 0.99)]


def searching(pg: Postgres, size: int):
    docs, queries_file = workload(size)
    sqlite_data = WORK / f"startup-{size}"
    make_catalogue(docs, sqlite_data, False)
    queries = [line for line in open(queries_file).read().split("\n") if line][:300]
    url = pg.database(f"search_{size}_{int(time.time())}")
    began = time.perf_counter()
    copy_into_postgres(pg, sqlite_data, url)
    print(f"\n{size} photos copied into PostgreSQL in {time.perf_counter() - began:.0f} s")
    rows = []
    (sqlite_data / "search.snapshot").unlink(missing_ok=True)
    rows.append(("SQLite, first start (reads the catalogue)",) + serve_once([], sqlite_data, 18291, queries))
    rows.append(("SQLite, restart (loads the snapshot)",) + serve_once([], sqlite_data, 18291, queries))
    serve_data = WORK / f"scale-serve-{size}"
    shutil.rmtree(serve_data, ignore_errors=True)
    rows.append(("PostgreSQL, new server (reads the catalogue)",) + serve_once(["--store", url], serve_data, 18292, queries))
    rows.append(("PostgreSQL, restart (loads the snapshot)",) + serve_once(["--store", url], serve_data, 18292, queries))
    print(f"| {size} photos: start | first answered search (s) | idle RSS, whole tree (MiB) | /api/search p50 / p99 (ms) |")
    print("|---|---|---|---|")
    for name, seconds, rss, p50, p99 in rows:
        print(f"| {name} | {seconds:.2f} | {rss:.0f} | {p50:.2f} / {p99:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=240)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--skip-index", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    args = parser.parse_args()
    require_release_build()
    print(machine())
    pg = Postgres()
    try:
        if not args.skip_index:
            indexing(pg, args.photos)
        if not args.skip_search:
            for size in (int(s) for s in args.sizes.split(",") if s):
                searching(pg, size)
    finally:
        pg.stop()


if __name__ == "__main__":
    main()
