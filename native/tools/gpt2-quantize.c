// gpt2-quantize: rewrites a GPT-2 GGUF with its weight matrices in another type (gpt2_quantize).
//
//   gpt2-quantize model-f32.gguf model-q8_0.gguf q8_0 [THREADS]
//
// TYPE: f32 f16 bf16 q8_0 q4_0 q4_1 q5_0 q5_1. Exit status: 0 written, 2 error.
#include "gpt2.h"
#include "gpt2-tools.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-clock.h"

int main(int argc, char ** argv) {
    if (argc < 4 || argc > 5) {
        fprintf(stderr,
                "usage: gpt2-quantize SRC DST TYPE [THREADS]\n"
                "  TYPE: f32 f16 bf16 q8_0 q4_0 q4_1 q5_0 q5_1; THREADS <= 0 or absent: all cores\n");
        return 2;
    }
    int32_t type = 0;
    if (!gpt2_tools_parse_type(argv[3], &type)) {
        fprintf(stderr, "gpt2-quantize: unknown type %s\n", argv[3]);
        return 2;
    }
    int32_t n_threads = 0;
    if (argc == 5) {
        char * end = NULL;
        errno = 0;
        long v = strtol(argv[4], &end, 10);
        if (errno || end == argv[4] || *end != '\0' || v > 1024 || v < -1024) {
            fprintf(stderr, "gpt2-quantize: bad thread count %s\n", argv[4]);
            return 2;
        }
        n_threads = (int32_t) v;
    }

    const double t0 = now_s();
    if (gpt2_quantize(argv[1], argv[2], type, n_threads) != GPT2_OK) {
        fprintf(stderr, "gpt2-quantize: %s\n", gpt2_last_error());
        return 2;
    }
    printf("gpt2-quantize: wrote %s (%s) in %.2f s\n", argv[2], argv[3], now_s() - t0);
    return 0;
}
