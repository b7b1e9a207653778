// fuzz_model_load.cpp: libFuzzer target: the input, as a GGUF file, through gpt2_model_load; when it
// loads, every getter, the vocabulary, and a session with one eval (exercise-model.h). Any crash,
// leak, ASan or UBSan report is a bug; so is a broken invariant, reported as an abort.
//
// The input reaches the loader as a file, since gpt2_model_load takes a path and maps it: a memfd
// (an anonymous file in memory), opened by the loader as /proc/self/fd/N. Nothing touches the disk,
// no file outlives the process (a crash leaves no temp file behind), and parallel runs cannot
// collide on a name. Linux only, as libFuzzer builds here are.
#include "gpt2.h"

#include "exercise-model.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/mman.h>
#include <unistd.h>

namespace {

int  g_fd = -1;
char g_path[64];

// The memfd holds exactly the input: truncated, then written.
void write_input(const uint8_t * data, size_t size) {
    if (ftruncate(g_fd, 0) != 0) {
        fprintf(stderr, "fuzz_model_load: ftruncate: %s\n", strerror(errno));
        abort();
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(g_fd, data + done, size - done, (off_t) done);
        if (n <= 0) {
            fprintf(stderr, "fuzz_model_load: pwrite: %s\n", strerror(errno));
            abort();
        }
        done += (size_t) n;
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    gpt2_log_set(nullptr, nullptr, GPT2_LOG_ERROR + 1);  // quiet: nearly every input is refused
    g_fd = memfd_create("fuzz_model_load", MFD_CLOEXEC);
    if (g_fd < 0) {
        fprintf(stderr, "fuzz_model_load: memfd_create: %s\n", strerror(errno));
        abort();
    }
    snprintf(g_path, sizeof(g_path), "/proc/self/fd/%d", g_fd);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    write_input(data, size);
    if (const char * broken = gpt2_exercise_model(g_path)) {
        fprintf(stderr, "fuzz_model_load: %s (last error: %s)\n", broken, gpt2_last_error());
        abort();
    }
    return 0;
}
