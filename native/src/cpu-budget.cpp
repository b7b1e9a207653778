// cpu-budget.cpp: see cpu-budget.h.
#include "cpu-budget.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#if defined(__linux__)
#    include <sched.h>
#endif

namespace {

int32_t count_cpus() {
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
#endif
    unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? (int32_t) n : 1;
}

// The budget: free threads, and a ticket queue so that a large request is not passed over forever
// by smaller ones arriving after it.
struct budget {
    std::mutex              mu;
    std::condition_variable cv;
    int32_t                 free = gpt2_cpu_count();
    uint64_t                next_ticket = 0;   // handed to the next arrival
    uint64_t                serving = 0;       // the ticket whose turn it is
};

budget & the_budget() {
    static budget b;
    return b;
}

}  // namespace

int32_t gpt2_cpu_count() {
    static const int32_t n = count_cpus();
    return n;
}

gpt2_cpu_lease::gpt2_cpu_lease(int32_t n) : n_(std::clamp<int32_t>(n, 1, gpt2_cpu_count())) {
    budget & b = the_budget();
    std::unique_lock<std::mutex> lock(b.mu);
    const uint64_t ticket = b.next_ticket++;
    b.cv.wait(lock, [&] { return b.serving == ticket && b.free >= n_; });
    b.free -= n_;
    b.serving++;
    lock.unlock();
    b.cv.notify_all();  // the next ticket may fit in what is left
}

gpt2_cpu_lease::~gpt2_cpu_lease() {
    budget & b = the_budget();
    {
        std::lock_guard<std::mutex> lock(b.mu);
        b.free += n_;
    }
    b.cv.notify_all();
}
