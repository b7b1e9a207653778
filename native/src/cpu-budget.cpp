// cpu-budget.cpp: see cpu-budget.h.
#include "cpu-budget.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#if defined(__linux__)
#    include <fcntl.h>
#    include <sched.h>
#    include <unistd.h>
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

int32_t count_online() {
#if defined(__linux__)
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n > 0) return (int32_t) std::min<long>(n, INT32_MAX);
#endif
    return gpt2_cpu_count();
}

// Tasks of the machine running or ready to run now (the 4th field of /proc/loadavg, "R/T"); -1
// where unknown. About 5 us.
int32_t runnable_tasks() {
#if defined(__linux__)
    const int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char buf[128];
    const ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    double l1 = 0, l5 = 0, l15 = 0;
    int running = 0, total = 0;
    if (std::sscanf(buf, "%lf %lf %lf %d/%d", &l1, &l5, &l15, &running, &total) != 5 || running < 0) return -1;
    return running;
#else
    return -1;
#endif
}

bool adapt_enabled() {
    static const bool on = [] {
        const char * v = std::getenv("GPT2_CPU_ADAPT");
        return v == nullptr || std::strcmp(v, "0") != 0;
    }();
    return on;
}

// The budget: free CPUs, the leases held, and a ticket queue so that requests are served in
// arrival order (next_ticket - serving of them are waiting).
struct budget {
    std::mutex              mu;
    std::condition_variable cv;
    int32_t                 free = gpt2_cpu_count();
    int32_t                 holders = 0;
    uint64_t                next_ticket = 0;   // handed to the next arrival
    uint64_t                serving = 0;       // the ticket whose turn it is
    // The most computes seen holding or waiting at once lately: sessions between two evals (building
    // a graph, sampling) neither hold nor wait, yet will be back within a millisecond.
    int32_t                                recent_demand = 0;
    std::chrono::steady_clock::time_point  recent_at{};
};

// How long a demand seen is remembered.
constexpr std::chrono::milliseconds DEMAND_MEMORY{50};

budget & the_budget() {
    static budget b;
    return b;
}

}  // namespace

int32_t gpt2_cpu_count() {
    static const int32_t n = count_cpus();
    return n;
}

int32_t gpt2_cpu_share(int32_t cpus, int32_t free, int32_t requested, int32_t demand) {
    const int32_t fair = std::max<int32_t>(1, cpus / std::max<int32_t>(1, demand));
    return std::max<int32_t>(1, std::min({requested, free, fair}));
}

int32_t gpt2_cpu_room(int32_t cpus, int32_t online, int32_t free, int32_t runnable) {
    const int64_t held  = (int64_t) cpus - free;                            // threads of leases, running
    const int64_t other = std::max<int64_t>(0, (int64_t) runnable - 1 - held);  // not the caller, not ours
    const int64_t mine  = other * cpus / std::max<int32_t>(online, cpus);  // the share of it on our CPUs
    return (int32_t) std::max<int64_t>(1, free - mine);
}

gpt2_cpu_lease::gpt2_cpu_lease(int32_t n, bool exact) : n_(0) {
    int32_t asked = std::clamp<int32_t>(n, 1, gpt2_cpu_count());
    // the machine's other work, read before the lock: every lease waits on it, a file read need not
    const int32_t runnable = !exact && asked > 1 && adapt_enabled() ? runnable_tasks() : -1;
    budget & b = the_budget();
    std::unique_lock<std::mutex> lock(b.mu);
    const uint64_t ticket = b.next_ticket++;
    b.cv.wait(lock, [&] { return b.serving == ticket && b.free >= (exact ? asked : 1); });
    const int32_t waiting = (int32_t) std::min<uint64_t>(b.next_ticket - b.serving, INT32_MAX / 2);  // this one included
    const int32_t demand  = b.holders + waiting;
    const auto    now     = std::chrono::steady_clock::now();
    if (demand >= b.recent_demand || now - b.recent_at > DEMAND_MEMORY) {
        b.recent_demand = demand;
        b.recent_at     = now;
    }
    if (runnable >= 0) {
        static const int32_t online = count_online();
        asked = std::min(asked, gpt2_cpu_room(gpt2_cpu_count(), online, b.free, runnable));
    }
    n_ = exact ? asked : gpt2_cpu_share(gpt2_cpu_count(), b.free, asked, b.recent_demand);
    b.free -= n_;
    b.holders++;
    b.serving++;
    lock.unlock();
    b.cv.notify_all();  // the next ticket may fit in what is left
}

gpt2_cpu_lease::~gpt2_cpu_lease() {
    budget & b = the_budget();
    {
        std::lock_guard<std::mutex> lock(b.mu);
        b.free += n_;
        b.holders--;
    }
    b.cv.notify_all();
}
