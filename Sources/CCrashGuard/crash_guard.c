#include "CCrashGuard.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Fatal signals (SIGSEGV, SIGILL of a Swift trap, SIGABRT) are delivered to the thread that caused them, so
// the job that thread holds is the one to blame. Initial-exec TLS is safe to read in a signal handler.
static __thread volatile int64_t job_in_hand __attribute__((tls_model("initial-exec")));
static __thread int has_signal_stack __attribute__((tls_model("initial-exec")));
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

// Async-signal-safe: only write(2), fsync(2) and raise(3). The default action then ends the process as before.
static void on_fatal_signal(int signal_number) {
    if (crash_log >= 0 && job_in_hand > 0) {
        write_id(job_in_hand);
        fsync(crash_log);
    }
    raise(signal_number);
}

int vf_crash_guard_install(const char *path) {
    // Armed again on every indexing run (serve runs many): the previous log's descriptor is closed, not leaked.
    int fresh = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fresh < 0) return -1;
    int previous = crash_log;
    crash_log = fresh;
    if (previous >= 0) close(previous);
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_fatal_signal;
    action.sa_flags = SA_RESETHAND | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    int signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) sigaction(signals[i], &action, NULL);
    return 0;
}

void vf_crash_guard_hold(int64_t job) {
    if (!has_signal_stack) {
        // Kept for the thread's life: indexing threads are few and long-lived.
        stack_t stack = {.ss_sp = malloc(SIGSTKSZ * 4), .ss_size = SIGSTKSZ * 4, .ss_flags = 0};
        if (stack.ss_sp != NULL && sigaltstack(&stack, NULL) == 0) has_signal_stack = 1;
    }
    job_in_hand = job;
}
