"""A download's progress on stderr: a bar on a terminal, one line per file otherwise."""
import sys
import time


class ProgressBar:
    def __init__(self, label, total, done):
        self.label, self.total, self.done = label, total, done
        self.terminal = sys.stderr.isatty()
        self.shown = 0.0

    def advance(self, count):
        self.done += count
        now = time.monotonic()
        if self.terminal and now - self.shown > 0.2:
            self.shown = now
            fraction = self.done / self.total if self.total else 0
            filled = int(fraction * 30)
            sys.stderr.write("\r%-28s [%s%s] %5.1f%% %8.1f MB" % (self.label[:28], "#" * filled,
                             "." * (30 - filled), fraction * 100, self.done / 1e6))
            sys.stderr.flush()

    def finish(self):
        if self.terminal:
            sys.stderr.write("\n")
        else:
            sys.stderr.write("%s: %.1f MB\n" % (self.label, self.done / 1e6))
