// test_internal_cpu_budget.cpp: the CPU budget (cpu-budget.h), internal to libgpt2: the fair-share
// rule, the room left by other work, and that leases taken by many threads at once never hold more CPUs than the process has,
// each get at least one, and all are served.
#include "cpu-budget.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

#define CHECK_LAST_ERROR() "(none: internal functions set none)"
#include "check.h"

static void test_share_rule() {
    // alone: what it asked for, capped by what is free
    CHECK(gpt2_cpu_share(2, 2, 2, 1) == 2, "one compute on 2 CPUs gets 2");
    CHECK(gpt2_cpu_share(16, 16, 4, 1) == 4, "asks 4 of 16: 4");
    CHECK(gpt2_cpu_share(16, 3, 8, 1) == 3, "3 free: 3");
    // shared: the fair share, at least 1
    CHECK(gpt2_cpu_share(2, 2, 2, 8) == 1, "8 computes on 2 CPUs: 1 each");
    CHECK(gpt2_cpu_share(2, 2, 2, 2) == 1, "2 computes on 2 CPUs: 1 each");
    CHECK(gpt2_cpu_share(16, 16, 16, 3) == 5, "3 computes on 16 CPUs: 5 each");
    CHECK(gpt2_cpu_share(16, 16, 16, 100) == 1, "more computes than CPUs: 1 each");
    CHECK(gpt2_cpu_share(1, 1, 1, 1) == 1, "one CPU: 1");
    CHECK(gpt2_cpu_share(4, 1, 1, 0) == 1, "demand 0 is read as 1");
}

static void test_room_rule() {
    // quiet: only the caller runs
    CHECK(gpt2_cpu_room(2, 2, 2, 1) == 2, "quiet 2-CPU machine: room for 2");
    CHECK(gpt2_cpu_room(16, 16, 16, 1) == 16, "quiet 16-CPU machine: room for 16");
    // two CPU-bound processes beside the caller on 2 CPUs: one thread
    CHECK(gpt2_cpu_room(2, 2, 2, 3) == 1, "2 other tasks on 2 CPUs: 1");
    CHECK(gpt2_cpu_room(2, 2, 2, 2) == 1, "1 other task on 2 CPUs: 1");
    CHECK(gpt2_cpu_room(8, 8, 8, 4) == 5, "3 other tasks on 8 CPUs: 5");
    // threads of other leases are ours, not other work
    CHECK(gpt2_cpu_room(4, 4, 2, 3) == 2, "2 held threads running beside the caller: the 2 free CPUs");
    // other work on a machine larger than our CPUs counts by our share of it
    CHECK(gpt2_cpu_room(4, 16, 4, 9) == 2, "8 other tasks on 16 CPUs, 4 of them ours: 2 of ours busy");
    // never less than 1, whatever the counts
    CHECK(gpt2_cpu_room(2, 2, 2, 1000) == 1, "a crowded machine: 1");
    CHECK(gpt2_cpu_room(2, 2, 1, 0) == 1, "a count below ours: what is free");
    CHECK(gpt2_cpu_room(2, 1, 2, 1) == 2, "online below our CPUs is read as ours");
}

static void test_many_threads() {
    const int32_t cpus = gpt2_cpu_count();
    CHECK(cpus >= 1, "gpt2_cpu_count() = %d", cpus);
    {
        gpt2_cpu_lease alone(cpus + 100);
        CHECK(alone.granted() == cpus, "a lease alone asking for more than the CPUs gets them all: %d of %d",
              alone.granted(), cpus);
    }
    std::atomic<int32_t> held{0}, most{0}, served{0}, bad{0};
    std::vector<std::thread> ts;
    for (int t = 0; t < 16; t++) {
        ts.emplace_back([&, t] {
            for (int i = 0; i < 200; i++) {
                const int32_t asked = 1 + (t + i) % 4;
                const bool exact = t % 4 == 0;  // the gradients' leases: exactly their threads
                gpt2_cpu_lease lease(asked, exact);
                const int32_t g = lease.granted();
                if (g < 1 || g > cpus || g > asked || (exact && g != std::min(asked, cpus))) bad++;
                const int32_t now = held += g;
                int32_t m = most.load();
                while (now > m && !most.compare_exchange_weak(m, now)) {}
                std::this_thread::yield();
                held -= g;
                served++;
            }
        });
    }
    for (auto & t : ts) t.join();
    CHECK(bad == 0, "%d leases were granted 0, more than asked, more than the CPUs, or (exact) fewer than asked", bad.load());
    CHECK(most <= cpus, "leases held %d CPUs at once, the process has %d", most.load(), cpus);
    CHECK(served == 16 * 200, "%d of %d leases served", served.load(), 16 * 200);
    CHECK(held == 0, "%d CPUs still held", held.load());
}

int main() {
    // the counts below are the budget's alone, whatever else the machine runs (cpu-budget.h)
#if defined(_WIN32)
    _putenv("GPT2_CPU_ADAPT=0");
#else
    setenv("GPT2_CPU_ADAPT", "0", 1);
#endif
    test_share_rule();
    test_room_rule();
    test_many_threads();
    return check_summary("test_internal_cpu_budget");
}
