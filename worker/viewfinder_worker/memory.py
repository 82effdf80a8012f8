"""The allocator's settings for a worker whose big buffers (each picture's tensors) come and go."""
import ctypes
import os

# glibc's mallopt parameter for the size from which a block gets a mapping of its own.
M_MMAP_THRESHOLD = -3
# glibc raises that size to each large block freed (up to 32 MiB), so later tensors come from the heap and stay
# resident when freed: over 52 corpus photos the worker peaked at 476-524 MiB, with 1 MiB held at 336-371.
MMAP_THRESHOLD = 1 << 20


def hold_mmap_threshold() -> bool:
    """Blocks of 1 MiB and more are mapped on their own and unmapped when freed. Left alone when the user set
    MALLOC_MMAP_THRESHOLD_ (glibc's own switch), and off glibc; says whether it was set."""
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    except (OSError, AttributeError):
        return False
