// fuzz_model_load.cpp: libFuzzer target: the input, as a GGUF file, through gpt2_model_load; when it
// loads, every getter, the vocabulary, and a session with one eval (exercise-model.h). Any crash,
// leak, ASan or UBSan report is a bug; so is a broken invariant, reported as an abort.
//
// The input reaches the loader as a file, since gpt2_model_load takes a path and maps it: a memfd
// (fuzz-input.h).
#include "gpt2.h"

#include "exercise-model.h"
#include "fuzz-input.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

int  g_fd = -1;
char g_path[64];

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    gpt2_log_set(nullptr, nullptr, GPT2_LOG_ERROR + 1);  // quiet: nearly every input is refused
    g_fd = gpt2_fuzz_memfd("fuzz_model_load", g_path, sizeof(g_path));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    gpt2_fuzz_write(g_fd, data, size, "fuzz_model_load");
    if (const char * broken = gpt2_exercise_model(g_path)) {
        fprintf(stderr, "fuzz_model_load: %s (last error: %s)\n", broken, gpt2_last_error());
        abort();
    }
    return 0;
}
