// gpt2-make-model: writes a GPT-2 GGUF with random weights (gpt2_write_random_model).
//
//   gpt2-make-model --out tiny.gguf
//   gpt2-make-model --out gpt2-124m-shape.gguf --vocab 50257 --ctx 1024 --embd 768 --head 12
//                   --layer 12 --type q8_0 --seed 7
//
// Exit status: 0 written, 2 error: a bad option or value, or a shape gpt2_write_random_model refuses
// (its message, gpt2_tools_last_error(), on stderr); no file is left then. test_make_model checks both.
#include "gpt2.h"
#include "gpt2-tools.h"

#include <stdio.h>
#include <string.h>

#include "bench-clock.h"

static void usage(FILE * f) {
    gpt2_random_model_params d = gpt2_random_model_default_params();
    fprintf(f,
            "usage: gpt2-make-model --out PATH [options]\n"
            "  --vocab N     vocabulary size, >= 257 (default %d)\n"
            "  --ctx N       learned positions (default %d)\n"
            "  --embd N      embedding width, a multiple of --head (default %d)\n"
            "  --head N      attention heads (default %d)\n"
            "  --layer N     blocks (default %d)\n"
            "  --type T      type of the weight matrices: f32 f16 bf16 q8_0 q4_0 q4_1 q5_0 q5_1 (default f32)\n"
            "  --seed N      random seed (default %llu)\n"
            "  --scale F     standard deviation of the weights, > 0 (default %g)\n"
            "  --untied      write output.weight (default: tied to token_embd)\n",
            d.n_vocab, d.n_ctx, d.n_embd, d.n_head, d.n_layer, (unsigned long long) d.seed, (double) d.scale);
}

int main(int argc, char ** argv) {
    gpt2_random_model_params p = gpt2_random_model_default_params();
    const char * out = NULL;
    // the int32 options: each a field of p
    const struct { const char * name; int32_t * field; } shape_options[] = {
        { "--vocab", &p.n_vocab }, { "--ctx", &p.n_ctx }, { "--embd", &p.n_embd },
        { "--head", &p.n_head },   { "--layer", &p.n_layer },
    };

    for (int i = 1; i < argc; i++) {
        const char * a = argv[i];
        const char * v = i + 1 < argc ? argv[i + 1] : NULL;
        int ok = 1;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--untied") == 0) {
            p.tied_output = 0;
            continue;
        }
        int32_t * shape_field = NULL;
        for (size_t k = 0; k < sizeof(shape_options) / sizeof(shape_options[0]); k++) {
            if (strcmp(a, shape_options[k].name) == 0) {
                shape_field = shape_options[k].field;
            }
        }
        static const char * const k_other_valued[] = { "--out", "--type", "--seed", "--scale" };
        const int known = shape_field != NULL ||
                          gpt2_tools_is_option(a, k_other_valued, sizeof(k_other_valued) / sizeof(k_other_valued[0]));
        if (!known) {
            fprintf(stderr, "gpt2-make-model: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
        if (v == NULL) {
            fprintf(stderr, "gpt2-make-model: %s needs a value\n", a);
            return 2;
        }
        if (shape_field != NULL) {
            ok = gpt2_tools_parse_i32(v, shape_field);
        } else if (strcmp(a, "--out") == 0) {
            out = v;
        } else if (strcmp(a, "--type") == 0) {
            ok = gpt2_tools_parse_type(v, &p.weight_type);
        } else if (strcmp(a, "--seed") == 0) {
            ok = gpt2_tools_parse_u64(v, &p.seed);
        } else if (strcmp(a, "--scale") == 0) {
            // a standard deviation: > 0 and finite (gpt2_write_random_model would take <= 0 for 0.02)
            ok = gpt2_tools_parse_f32(v, &p.scale) && p.scale > 0.0f;
        }
        if (!ok) {
            fprintf(stderr, "gpt2-make-model: bad value for %s: %s\n", a, v);
            return 2;
        }
        i++;
    }
    if (out == NULL) {
        fprintf(stderr, "gpt2-make-model: --out is required\n");
        usage(stderr);
        return 2;
    }

    const double t0 = now_s();
    if (gpt2_write_random_model(out, &p) != GPT2_OK) {
        fprintf(stderr, "gpt2-make-model: %s\n", gpt2_tools_last_error());
        return 2;
    }
    printf("gpt2-make-model: wrote %s in %.2f s\n", out, now_s() - t0);
    return 0;
}
