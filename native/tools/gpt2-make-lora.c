// gpt2-make-lora: writes a LoRA adapter with random weights for an F32 GPT-2 GGUF (gpt2_write_random_lora),
// in llama.cpp's layout (gpt2.h, "LoRA adapters"); with --merged, also the model with it merged.
//
//   gpt2-make-model --out tiny.gguf
//   gpt2-make-lora --model tiny.gguf --out tiny-lora.gguf --rank 2 --targets 5 --layer 0
//
// Exit status: 0 written, 2 error: a bad option or value, or parameters gpt2_write_random_lora refuses
// (its message, gpt2_tools_last_error(), on stderr). native/fuzz/make-corpus.sh writes the seed adapters
// of fuzz_adapter_load with it.
#include "gpt2.h"
#include "gpt2-tools.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE * f) {
    gpt2_random_lora_params d = gpt2_random_lora_default_params();
    fprintf(f,
            "usage: gpt2-make-lora --model PATH --out PATH [options]\n"
            "  --merged PATH  also write the model with the adapter merged (scale 1)\n"
            "  --rank N       rank, at most every adapted matrix's smaller side (default %d)\n"
            "  --alpha F      adapter.lora.alpha, >= 0; 0 writes no alpha key (default %g)\n"
            "  --targets N    bit mask of the matrices adapted: 1 attn_qkv, 2 attn_output, 4 ffn_up,\n"
            "                 8 ffn_down; 0 all four (default 0)\n"
            "  --layer N      that block only; -1 every block (default -1)\n"
            "  --seed N       random seed (default %llu)\n"
            "  --scale F      standard deviation of A's and B's values, > 0 (default 0.02)\n",
            d.rank, (double) d.alpha, (unsigned long long) d.seed);
}

int main(int argc, char ** argv) {
    gpt2_random_lora_params p = gpt2_random_lora_default_params();
    const char * model = NULL, * out = NULL, * merged = NULL;
    for (int i = 1; i < argc; i++) {
        const char * a = argv[i];
        const char * v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        static const char * const k_valued[] = { "--model", "--out", "--merged", "--rank", "--alpha", "--targets",
                                           "--layer", "--seed", "--scale" };
        const int known = gpt2_tools_is_option(a, k_valued, sizeof(k_valued) / sizeof(k_valued[0]));
        if (!known) {
            fprintf(stderr, "gpt2-make-lora: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
        if (v == NULL) {
            fprintf(stderr, "gpt2-make-lora: %s needs a value\n", a);
            return 2;
        }
        int ok = 1;
        int32_t targets = 0;
        if (strcmp(a, "--model") == 0) {
            model = v;
        } else if (strcmp(a, "--out") == 0) {
            out = v;
        } else if (strcmp(a, "--merged") == 0) {
            merged = v;
        } else if (strcmp(a, "--rank") == 0) {
            ok = gpt2_tools_parse_i32(v, &p.rank);
        } else if (strcmp(a, "--alpha") == 0) {
            ok = gpt2_tools_parse_f32(v, &p.alpha);
        } else if (strcmp(a, "--targets") == 0) {
            ok = gpt2_tools_parse_i32(v, &targets) && targets >= 0;
            p.targets = (uint32_t) targets;
        } else if (strcmp(a, "--layer") == 0) {
            ok = gpt2_tools_parse_i32(v, &p.layer);
        } else if (strcmp(a, "--seed") == 0) {
            ok = gpt2_tools_parse_u64(v, &p.seed);
        } else if (strcmp(a, "--scale") == 0) {
            // a standard deviation: > 0 (gpt2_write_random_lora would take <= 0 for 0.02)
            ok = gpt2_tools_parse_f32(v, &p.scale) && p.scale > 0.0f;
        }
        if (!ok) {
            fprintf(stderr, "gpt2-make-lora: bad value for %s: %s\n", a, v);
            return 2;
        }
        i++;
    }
    if (model == NULL || out == NULL) {
        fprintf(stderr, "gpt2-make-lora: --model and --out are required\n");
        usage(stderr);
        return 2;
    }
    if (gpt2_write_random_lora(model, out, merged, &p) != GPT2_OK) {
        fprintf(stderr, "gpt2-make-lora: %s\n", gpt2_tools_last_error());
        return 2;
    }
    printf("gpt2-make-lora: wrote %s\n", out);
    return 0;
}
