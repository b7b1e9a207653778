// fuzz_adapter_load.cpp: libFuzzer target: the input, as a GGUF file, through gpt2_adapter_load on a
// fixed small model; when it loads, its getters, a session with it at scale 1 and two evals
// (exercise-adapter.h). Any crash, leak, ASan or UBSan report is a bug; so is a broken invariant,
// reported as an abort. NaN or inf in the adapter's values are data, not faults: the logits are read,
// not required finite.
//
// At init the model (gpt2_write_random_model, exercise-adapter.h's shape) is written to one memfd and
// loaded once; each input reaches the adapter loader through another memfd, opened as /proc/self/fd/N
// (as in fuzz_model_load.cpp: nothing touches the disk, no file outlives the process). Linux only.
#include "gpt2.h"

#include "exercise-adapter.h"
#include "fuzz-input.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

int          g_fd = -1;
char         g_path[64];
gpt2_model * g_model = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    gpt2_log_set(nullptr, nullptr, GPT2_LOG_ERROR + 1);  // quiet: nearly every input is refused

    // the model: written once, loaded once; its memfd stays open (the model may map it) until exit
    char model_path[64];
    gpt2_fuzz_memfd("fuzz_adapter_load_model", model_path, sizeof(model_path));
    const gpt2_random_model_params rp = gpt2_exercise_adapter_model_params();
    if (gpt2_write_random_model(model_path, &rp) != GPT2_OK) {
        fprintf(stderr, "fuzz_adapter_load: cannot write the model: %s\n", gpt2_last_error());
        abort();
    }
    gpt2_model_params mp = gpt2_model_default_params();
    mp.n_threads = 1;
    mp.backend   = GPT2_BACKEND_CPU;
    g_model = gpt2_model_load(model_path, &mp);
    if (g_model == nullptr) {
        fprintf(stderr, "fuzz_adapter_load: cannot load the model: %s\n", gpt2_last_error());
        abort();
    }

    g_fd = gpt2_fuzz_memfd("fuzz_adapter_load", g_path, sizeof(g_path));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    gpt2_fuzz_write(g_fd, data, size, "fuzz_adapter_load");
    if (const char * broken = gpt2_exercise_adapter(g_model, g_path)) {
        fprintf(stderr, "fuzz_adapter_load: %s (last error: %s)\n", broken, gpt2_last_error());
        abort();
    }
    return 0;
}
