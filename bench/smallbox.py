"""The small box: the demo library indexed with the models and then served, under a memory limit and one core.

    python3 bench/smallbox.py [--memory 1G] [--cpu 0] [--library DIR ...] [--index-only] [--no-reference]

The limits are a cgroup made by hand (v2 where its memory controller is there, else v1's memory and cpuset
hierarchies); `viewfinder` starts inside it, so its model workers are confined with it. Where no cgroup can be
made, the runs are only pinned to one core with taskset and the script says loudly that no memory limit was
enforced (RLIMIT_AS is not one: it counts address space, and the runtimes reserve far more than they touch).
The resident memory of the whole process tree (every descendant's VmRSS from /proc) is sampled every 100 ms.
Unless --no-reference, the same runs are made first without any limit, as the reference for the times.
Needs the release build (swift build -c release --product viewfinder) and the worker's venv (scripts/setup.sh).
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
import threading
import time
import urllib.parse
from pathlib import Path

from common import ROOT, VIEWFINDER, WORK, machine, require_release_build

PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024
# A word the demo's captions hold (the cat picture), and words no photo holds, so only meaning can answer.
WORD_QUERY = "cat"
MEANING_QUERY = "feline pet"


def tree_rss(root: int) -> dict[int, tuple[str, int]]:
    """Resident bytes of `root` and all its descendants, by pid, with each one's command name."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except OSError:
                continue  # the process ended while the table was read
    found, waiting = {}, [root]
    while waiting:
        pid = waiting.pop()
        try:
            with open(f"/proc/{pid}/statm") as statm:
                resident = int(statm.read().split()[1]) * PAGE
            with open(f"/proc/{pid}/comm") as comm:
                name = comm.read().strip()
        except OSError:
            continue
        found[pid] = (name, resident)
        waiting += children.get(pid, [])
    return found


class TreeSampler:
    """Samples a process tree's summed RSS every 100 ms on a thread, keeping the peak and what made it up."""

    def __init__(self, root: int):
        self.root = root
        self.samples: list[tuple[float, int]] = []
        self.peak, self.peak_parts = 0, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            processes = tree_rss(self.root)
            total = sum(resident for _, resident in processes.values())
            self.samples.append((time.monotonic(), total))
            if total > self.peak:
                self.peak = total
                self.peak_parts = {}
                for name, resident in processes.values():
                    self.peak_parts[name] = self.peak_parts.get(name, 0) + resident
            self._stop.wait(0.1)

    def since(self, moment: float) -> list[int]:
        return [total for when, total in self.samples if when >= moment]

    def stop(self):
        self._stop.set()
        self._thread.join()


class Box:
    """A cgroup with a memory limit and one CPU, made by hand; or, where none can be made, taskset alone."""

    def __init__(self, memory: int, cpu: str):
        self.memory, self.cpu = memory, cpu
        self.folders: list[Path] = []
        self.kind = "none"
        self.why_not = ""
        self.memory_folder = None
        try:
            self._make_v2() if self._v2_root() else self._make_v1()
        except OSError as error:
            self.remove()
            self.kind, self.why_not = "none", (f"{error.filename}: " if error.filename else "") + str(error.strerror or error)

    @staticmethod
    def _v2_root():
        for line in open("/proc/mounts"):
            device, mount, kind = line.split()[:3]
            if kind == "cgroup2" and "memory" in Path(mount, "cgroup.controllers").read_text().split():
                return Path(mount)
        return None

    @staticmethod
    def _v1_folder(controller: str) -> Path:
        """Our own cgroup in the v1 hierarchy of `controller`: the limits are made below it."""
        mount = next((Path(line.split()[1]) for line in open("/proc/mounts")
                      if line.split()[2] == "cgroup" and controller in line.split()[3].split(",")), None)
        if mount is None:
            raise OSError(0, f"no cgroup v1 hierarchy with the {controller} controller is mounted", "/proc/mounts")
        own = next(line.strip().split(":", 2)[2] for line in open("/proc/self/cgroup")
                   if controller in line.split(":")[1].split(","))
        return mount / own.lstrip("/")

    def _child(self, parent: Path) -> Path:
        folder = parent / f"viewfinder-smallbox-{os.getpid()}"
        folder.mkdir()
        self.folders.append(folder)
        return folder

    def _make_v2(self):
        root = self._v2_root()
        wanted = {"memory", "cpuset"} - set((root / "cgroup.subtree_control").read_text().split())
        if wanted:
            (root / "cgroup.subtree_control").write_text(" ".join("+" + name for name in sorted(wanted)))
        folder = self._child(root)
        (folder / "memory.max").write_text(str(self.memory))
        if (folder / "memory.swap.max").exists():
            (folder / "memory.swap.max").write_text("0")
        (folder / "cpuset.cpus").write_text(self.cpu)
        self.memory_folder, self.kind = folder, "cgroup v2"

    def _make_v1(self):
        memory = self._child(self._v1_folder("memory"))
        (memory / "memory.limit_in_bytes").write_text(str(self.memory))
        if (memory / "memory.memsw.limit_in_bytes").exists():  # memory and swap together: no escape to swap
            (memory / "memory.memsw.limit_in_bytes").write_text(str(self.memory))
        cpuset = self._child(self._v1_folder("cpuset"))
        (cpuset / "cpuset.cpus").write_text(self.cpu)
        (cpuset / "cpuset.mems").write_text((cpuset.parent / "cpuset.effective_mems").read_text().strip()
                                            if (cpuset.parent / "cpuset.effective_mems").exists()
                                            else (cpuset.parent / "cpuset.mems").read_text().strip())
        self.memory_folder, self.kind = memory, "cgroup v1"

    @property
    def name(self) -> str:
        if self.kind == "none":
            return f"taskset -c {self.cpu}, memory NOT limited"
        return f"{self.kind}: {self.memory // MIB} MiB, CPU {self.cpu}"

    @property
    def limits(self) -> str:
        if self.kind == "none":
            return (f"NO MEMORY LIMIT ENFORCED (no cgroup could be made: {self.why_not}); "
                    f"one core by taskset -c {self.cpu} only")
        return f"{self.kind}: memory {self.memory // MIB} MiB, no swap, cpuset {self.cpu}"

    def wrap(self, command: list[str]) -> list[str]:
        """The command, started inside the cgroup (the shell moves itself in, then becomes the command)."""
        if self.kind == "none":
            return ["taskset", "-c", self.cpu, *command]
        procs = [str(folder / "cgroup.procs") for folder in self.folders]
        enter = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"'
        return ["sh", "-c", enter, "sh", *procs, "--", *command]

    def oom_kills(self) -> int | None:
        if self.memory_folder is None:
            return None
        name = "memory.events" if self.kind == "cgroup v2" else "memory.oom_control"
        for line in (self.memory_folder / name).read_text().splitlines():
            if line.startswith("oom_kill "):
                return int(line.split()[1])
        return None

    def peak(self) -> int | None:
        """The cgroup's own high-water mark (it counts the page cache the runs caused, too)."""
        name = "memory.peak" if self.kind == "cgroup v2" else "memory.max_usage_in_bytes"
        path = self.memory_folder / name if self.memory_folder else None
        return int(path.read_text()) if path and path.exists() else None

    def remove(self):
        for folder in reversed(self.folders):
            try:
                folder.rmdir()
            except OSError as error:
                print(f"smallbox: could not remove {folder}: {error}", file=sys.stderr)
        self.folders = []


class Unconfined:
    """The reference: the same runs with no limit at all."""
    kind = name = limits = "no limits"

    def wrap(self, command):
        return command

    def oom_kills(self):
        return None

    def peak(self):
        return None


def worker_environment(python: Path) -> dict[str, str]:
    """This checkout's worker under the venv's Python, with the bundled models set-up made."""
    environment = dict(os.environ)
    environment["VIEWFINDER_WORKER_COMMAND"] = f"{python} -m viewfinder_worker"
    environment["PYTHONPATH"] = str(ROOT / "worker")
    environment.setdefault("VIEWFINDER_BUNDLED_MODELS", str(ROOT / "models"))
    return environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(port: int, path: str, timeout: float = 60):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise OSError(f"{path}: HTTP {response.status}: {body[:200]!r}")
        return json.loads(body)
    finally:
        connection.close()


def index(box, libraries, data: Path, environment) -> dict:
    command = box.wrap([str(VIEWFINDER), "index", "--json", "--data", str(data), *map(str, libraries)])
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=environment)
    sampler = TreeSampler(process.pid)
    output, _ = process.communicate()
    seconds = time.monotonic() - started
    sampler.stop()
    if process.returncode != 0:
        return {"failed": f"index exited with status {process.returncode}", "peak": sampler.peak,
                "parts": sampler.peak_parts, "seconds": seconds}
    summary = json.loads(output)
    return {"seconds": seconds, "photos": summary["indexed"], "described": summary["described"],
            "peak": sampler.peak, "parts": sampler.peak_parts}


def serve(box, libraries, data: Path, environment, idle_seconds: float) -> dict:
    port = free_port()
    command = box.wrap([str(VIEWFINDER), "serve", "--data", str(data), "--port", str(port), *map(str, libraries)])
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    sampler = TreeSampler(process.pid)
    result = {}
    try:
        words = "/api/search?semantic=0&q=" + urllib.parse.quote(WORD_QUERY)
        while True:
            if process.poll() is not None:
                raise OSError(f"serve exited with status {process.returncode}")
            try:
                hits = get_json(port, words, timeout=5)["hits"]
                break
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)
        result["first_search"] = time.monotonic() - started
        result["word_hits"] = len(hits)
        # Serve rescans its folders as it starts; idle is after that run (nothing new in a library just indexed).
        while True:
            status = get_json(port, "/api/status")
            if not status["indexing"]["running"] and not any(status["pendingJobs"].values()):
                break
            time.sleep(0.2)
        quiet = time.monotonic()
        time.sleep(idle_seconds)
        result["idle"] = max(sampler.since(quiet))
        meaning = "/api/search?q=" + urllib.parse.quote(MEANING_QUERY)
        asked = time.monotonic()
        while True:
            answer = get_json(port, meaning)
            if "meaning unavailable" not in (answer.get("message") or ""):
                break
            time.sleep(0.1)
        result["meaning_search"] = time.monotonic() - asked
        result["meaning_hits"] = sum(hit.get("match") == "meaning" for hit in answer["hits"])
        after = time.monotonic()
        time.sleep(2)
        result["with_query_worker"] = max(sampler.since(after))
    except (OSError, http.client.HTTPException, json.JSONDecodeError) as error:
        result["failed"] = str(error)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        sampler.stop()
    result["peak"], result["parts"] = sampler.peak, sampler.peak_parts
    return result


def mib(value) -> str:
    return "—" if value is None else f"{value / MIB:.0f} MiB"


def seconds(value) -> str:
    return "—" if value is None else f"{value:.2f} s"


def report(runs):
    print()
    print("| run | index: photos/s | index: peak RSS (tree) | serve: first search | serve: idle RSS "
          "| search needing meaning | RSS with query worker | serve: peak RSS | cgroup peak | oom kills |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, indexed, served, cgroup_peak, kills in runs:
        rate = f"{indexed['photos'] / indexed['seconds']:.2f} ({indexed['photos']} in {indexed['seconds']:.1f} s)" \
            if "photos" in indexed else indexed.get("failed", "—")
        served = served or {}
        print(f"| {name} | {rate} | {mib(indexed['peak'])} | {seconds(served.get('first_search'))} "
              f"| {mib(served.get('idle'))} | {seconds(served.get('meaning_search'))} "
              f"| {mib(served.get('with_query_worker'))} | {mib(served.get('peak'))} | {mib(cgroup_peak)} "
              f"| {'—' if kills is None else kills} |")
    print()
    for name, indexed, served, _, _ in runs:
        parts = ", ".join(f"{part} {mib(size)}" for part, size in sorted(indexed["parts"].items()))
        print(f"{name}: index peak made of {parts}")
        for stage in (indexed, served or {}):
            if "failed" in stage:
                print(f"{name}: FAILED: {stage['failed']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--memory", default="1G", help="memory limit (bytes, or with K, M, G)")
    parser.add_argument("--cpu", default="0", help="the CPU (cpuset list) the runs may use")
    parser.add_argument("--library", action="append", type=Path, help="folders to index (default: demo-library)")
    parser.add_argument("--index-only", action="store_true", help="index, do not serve")
    parser.add_argument("--no-reference", action="store_true", help="skip the unconfined reference runs")
    parser.add_argument("--idle-seconds", type=float, default=5)
    parser.add_argument("--python", type=Path, default=ROOT / ".venv" / "bin" / "python",
                        help="the venv's Python that runs the worker")
    arguments = parser.parse_args()
    require_release_build()
    units = {"K": 1024, "M": MIB, "G": 1024 * MIB}
    memory = int(arguments.memory[:-1]) * units[arguments.memory[-1].upper()] \
        if arguments.memory[-1].upper() in units else int(arguments.memory)
    libraries = [path.resolve() for path in arguments.library or [ROOT / "demo-library"]]
    environment = worker_environment(arguments.python)
    load = os.getloadavg()
    print("machine:", machine())
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("libraries:", ", ".join(map(str, libraries)))

    box = Box(memory, arguments.cpu)
    print("limits:", box.limits)
    runs = []
    try:
        for confinement in ([] if arguments.no_reference else [Unconfined()]) + [box]:
            data = WORK / "smallbox-data"
            shutil.rmtree(data, ignore_errors=True)
            data.mkdir(parents=True)
            indexed = index(confinement, libraries, data, environment)
            served = None
            if not arguments.index_only and "failed" not in indexed:
                served = serve(confinement, libraries, data, environment, arguments.idle_seconds)
            runs.append((confinement.name, indexed, served, confinement.peak(), confinement.oom_kills()))
    finally:
        if isinstance(box, Box):
            box.remove()
    report(runs)
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if box.kind == "none":
        print("WARNING: the memory limit was NOT enforced; only one core (taskset) was.")
    failed = any("failed" in indexed or (served and "failed" in served) for _, indexed, served, _, _ in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
