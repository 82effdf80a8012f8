"""Shared helpers for the benchmarks: machine description, timing child processes, peak memory."""
import os
import platform
import resource
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
CORPUS = Path(os.environ.get("VIEWFINDER_CORPUS", ROOT.parent / "shared" / "corpus"))
# Another build to measure (one kept from before a change) may be named by VIEWFINDER_BINARY.
VIEWFINDER = Path(os.environ.get("VIEWFINDER_BINARY", ROOT / ".build" / "release" / "viewfinder"))


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) // 1024 // 1024
    return f"{cpu}, {os.cpu_count()} cores, {memory} GiB, {platform.platform()}"


def timed(command, **kwargs) -> float:
    """Seconds a command takes; raises if it fails."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def timed_with_peak_memory(command) -> tuple[float, int]:
    """Seconds, and the peak resident memory in MiB, of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{command[0]} failed with status {status}")
    return time.perf_counter() - start, usage.ru_maxrss // 1024


def require_release_build():
    if not VIEWFINDER.exists():
        raise SystemExit("build the release binary first: swift build -c release")
