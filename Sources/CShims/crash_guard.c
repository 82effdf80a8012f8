#include "CShims.h"
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

// Which job each worker holds, readable from a signal handler (plain stores, no locks).
static volatile int64_t jobs_in_flight[VF_CRASH_GUARD_SLOTS];
static int crash_log = -1;

static void write_id(int64_t id) {
    char text[24];
    int length = 0;
    char reversed[21];
    do { reversed[length++] = (char)('0' + id % 10); id /= 10; } while (id > 0 && length < 20);
    for (int i = 0; i < length; i++) text[i] = reversed[length - 1 - i];
    text[length++] = '\n';
    ssize_t ignored = write(crash_log, text, (size_t)length);
    (void)ignored;
}

// Async-signal-safe: only write(2) and raise(3). The default action then ends the process as before.
static void on_fatal_signal(int signal_number) {
    if (crash_log >= 0) {
        for (int slot = 0; slot < VF_CRASH_GUARD_SLOTS; slot++) {
            if (jobs_in_flight[slot] > 0) write_id(jobs_in_flight[slot]);
        }
        fsync(crash_log);
    }
    raise(signal_number);
}

int vf_crash_guard_install(const char *path) {
    crash_log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (crash_log < 0) return -1;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_fatal_signal;
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    int signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) sigaction(signals[i], &action, NULL);
    return 0;
}

void vf_crash_guard_hold(int slot, int64_t job) { jobs_in_flight[slot % VF_CRASH_GUARD_SLOTS] = job; }
