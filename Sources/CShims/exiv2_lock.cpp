#include "exiv2_lock.hpp"
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace {
std::timed_mutex turn;
// When the turn was taken, in steady-clock seconds; 0 while nobody holds it.
std::atomic<int64_t> heldSince{0};

int64_t now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count() + 1;
}

// Longer than any one call takes on a real file, however large; a call held past it is hung (its job abandoned).
constexpr int64_t hungAfterSeconds = 30;
constexpr auto longestWait = std::chrono::seconds(5);
}  // namespace

Exiv2Turn::Exiv2Turn() : held_(false) {
    int64_t since = heldSince.load();
    if (since != 0 && now() - since > hungAfterSeconds) return;
    held_ = turn.try_lock_for(longestWait);
    if (held_) heldSince.store(now());
}

Exiv2Turn::~Exiv2Turn() {
    if (!held_) return;
    heldSince.store(0);
    turn.unlock();
}
