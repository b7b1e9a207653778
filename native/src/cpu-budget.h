// cpu-budget.h: the CPUs of this process as one budget shared by every CPU compute in it.
//
// ggml's CPU workers meet at a barrier after every op and spin there; when more of them run than
// there are CPUs, a worker that the kernel has descheduled holds up all the others for a whole time
// slice, at every op. Measured on 2 cores: 3 tokens took 0.8 s with 2 threads and 45.6 s with 32;
// eight sessions evaluating at once with 2 threads each, 69 s a round against 0.26 s with 1 thread
// each. So libgpt2 never asks for more threads than CPUs (gpt2_cpu_count caps n_threads), and an
// eval takes a lease of its threads from this budget first: when the budget is spent, it waits, in
// arrival order, until earlier evals give theirs back. Evals of many sessions then share the
// machine one after another at full speed instead of all at once at a fraction of it.
#pragma once

#include <cstdint>

// CPUs this process may run on (its affinity mask on Linux, else the hardware threads); >= 1.
int32_t gpt2_cpu_count();

// n threads of the budget, held from construction to destruction (n is capped to gpt2_cpu_count()).
// Blocks until they are free; requests are served in arrival order.
class gpt2_cpu_lease {
public:
    explicit gpt2_cpu_lease(int32_t n);
    ~gpt2_cpu_lease();
    gpt2_cpu_lease(const gpt2_cpu_lease &) = delete;
    gpt2_cpu_lease & operator=(const gpt2_cpu_lease &) = delete;

private:
    int32_t n_;
};
