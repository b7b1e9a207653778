// cpu-budget.h: the CPUs of this process as one budget shared by every CPU compute in it.
//
// ggml's CPU workers meet at a barrier after every op and spin there; when more of them run than
// there are CPUs, a worker that the kernel has descheduled holds up all the others for a whole time
// slice, at every op. Measured on 2 cores: 3 tokens took 0.8 s with 2 threads and 45.6 s with 32;
// eight sessions evaluating at once with 2 threads each, 69 s a round against 0.26 s with 1 thread
// each. So libgpt2 never asks for more threads than CPUs (gpt2_cpu_count caps n_threads), and a
// compute takes a lease of its threads from this budget first.
//
// A lease is granted a fair share, not always what it asked for: with k computes holding or
// waiting on C CPUs, each gets at most max(1, C / k) threads (k: the most seen at once in the last
// 50 ms, so that sessions between two evals count too). One session alone gets all it asked
// for; eight sessions on 2 CPUs run two computes at a time on 1 thread each, which is what one
// thread per session measured best (a barrier with fewer threads than computes only waits). When
// no CPU is free, a lease waits, in arrival order, until earlier computes give theirs back.
//
// A busy machine (other processes on the CPUs) is the same trap from outside: a 2-thread compute
// whose worker is descheduled spins at every barrier (measured: 23.6 tokens/s against 272 with one
// thread). So a lease asking for more than one thread also fits in the CPUs that other work leaves:
// Linux counts the tasks running or ready to run (/proc/loadavg), and those that are not this
// lease's caller or the threads of other leases are other work; a lease gets at most
// max(1, free CPUs - other work) threads. GPT2_CPU_ADAPT=0 in the environment turns this off.
#pragma once

#include <cstdint>

// CPUs this process may run on (its affinity mask on Linux, else the hardware threads); >= 1.
int32_t gpt2_cpu_count();

// The threads a lease asking for `requested` gets when `free` CPUs of `cpus` are free and `demand`
// computes (this one included) hold or wait for a lease: min(requested, free, max(1, cpus / demand)),
// at least 1. Pure; the rule of gpt2_cpu_lease, exposed for its test. Needs free >= 1, demand >= 1.
int32_t gpt2_cpu_share(int32_t cpus, int32_t free, int32_t requested, int32_t demand);

// The threads a lease may use beside other work: `runnable` tasks of the machine (`online` CPUs)
// run or wait to run, this process's `cpus` CPUs of which `free` are free of leases; the caller
// and the held threads are not other work, the rest counts for the share of it on our CPUs
// (scaled by cpus / online). Returns max(1, free - that). Pure; the rule of gpt2_cpu_lease.
int32_t gpt2_cpu_room(int32_t cpus, int32_t online, int32_t free, int32_t runnable);

// Threads of the budget, held from construction to destruction. Blocks until at least one CPU is
// free and every earlier request was served; then holds granted() threads (1..min(n, gpt2_cpu_count())),
// which the compute must use (fewer while other work keeps the CPUs busy, above).
// With `exact` the lease holds min(n, gpt2_cpu_count()) threads, no fewer, waiting until that many are
// free: for computes whose result depends on the thread count (the gradient graph's reductions sum
// per-thread partials), which must repeat exactly for a given n. An eval's outputs are each made by
// one thread, whatever their number (test_threads), so evals take the share.
class gpt2_cpu_lease {
public:
    explicit gpt2_cpu_lease(int32_t n, bool exact = false);
    ~gpt2_cpu_lease();
    gpt2_cpu_lease(const gpt2_cpu_lease &) = delete;
    gpt2_cpu_lease & operator=(const gpt2_cpu_lease &) = delete;

    int32_t granted() const { return n_; }

private:
    int32_t n_;
};
