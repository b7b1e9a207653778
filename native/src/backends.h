// backends.h: the ggml backends libgpt2 computes with, and where they come from.
#pragma once

#include "gpt2.h"

#include "ggml.h"
#include "ggml-backend.h"

// Makes ggml's backends ready, once per process (later calls return the first outcome). In a
// build with GGML_BACKEND_DL (the release presets) they are modules beside libgpt2, loaded from
// its folder: the CPU variant this CPU runs best (env GPT2_CPU_VARIANT=<name> forces one), then
// every GPU module whose runtime and device are there. A build without it has them compiled in.
// Returns GPT2_OK, or a failure recorded with gpt2_fail naming fn.
gpt2_status gpt2_backends_init(const char * fn);

// The CPU backend's thread controls. With the CPU backend in a module they cannot be linked, so
// they are looked up through its registry (ggml_backend_reg_get_proc_address); all NULL when
// backend does not run on a CPU device.
struct gpt2_cpu_api {
    ggml_backend_set_n_threads_t set_n_threads = nullptr;
    ggml_threadpool_t (*threadpool_new)(struct ggml_threadpool_params * params) = nullptr;
    void (*threadpool_free)(ggml_threadpool_t threadpool) = nullptr;
    void (*set_threadpool)(ggml_backend_t backend, ggml_threadpool_t threadpool) = nullptr;
};

gpt2_cpu_api gpt2_cpu_api_of(ggml_backend_t backend);
