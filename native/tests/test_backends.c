// test_backends.c: what libgpt2 computes with: gpt2_cpu_variant() and gpt2_system_info() agree with
// each other and with the build, and with env GPT2_CPU_VARIANT set (the CMake test
// test_backends_forced) the variant named is the one loaded, or, where the build has no variants or
// the CPU cannot run it, model loading is refused with GPT2_ERR_UNSUPPORTED (never an abort).
#include "gpt2.h"
#include "gpt2-tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

int main(void) {
    const char * forced = getenv("GPT2_CPU_VARIANT");
    const char * tmp = getenv("GPT2_TEST_TMPDIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/test_backends.gguf", tmp ? tmp : ".");
    gpt2_random_model_params rp = gpt2_random_model_default_params();
    if (gpt2_write_random_model(path, &rp) != GPT2_OK) {   // needs no backend
        fprintf(stderr, "%s\n", gpt2_tools_last_error());
        return 1;
    }

    const char * variant = gpt2_cpu_variant();
    const char * info = gpt2_system_info();
    CHECK(variant != NULL && info != NULL, "never NULL");
    CHECK(variant == gpt2_cpu_variant() && info == gpt2_system_info(), "the same static strings on every call");
    printf("cpu variant: '%s'\nsystem info:\n%s\n", variant, info);

    gpt2_model_params mp = gpt2_model_default_params();
    mp.backend = GPT2_BACKEND_CPU;
    gpt2_model * model = gpt2_model_load(path, &mp);
    const int refused = strstr(info, "error: ") != NULL;
    if (refused) {
        // only a forced variant may make the loading fail here
        CHECK(forced != NULL && forced[0] != '\0', "the backends failed to load unforced: %s", info);
        CHECK(variant[0] == '\0', "no variant after a failure: '%s'", variant);
        CHECK(model == NULL && gpt2_last_status() == GPT2_ERR_UNSUPPORTED, "the load is refused");
        CHECK(strstr(gpt2_last_error(), "GPT2_CPU_VARIANT=") != NULL, "the message names the variable");
    } else {
        CHECK(model != NULL, "a CPU model loads");
        CHECK(strstr(info, "devices: CPU") != NULL, "the CPU is a device: %s", info);
        CHECK(model == NULL || strcmp(gpt2_model_backend_name(model), "CPU") == 0, "on the CPU");
        if (variant[0] != '\0') {   // a release build: the variant is a module's, and said so
            char line[256];
            snprintf(line, sizeof(line), "CPU variant: %s (", variant);
            CHECK(strstr(info, line) != NULL, "info names the variant: %s", info);
            if (forced != NULL && forced[0] != '\0') {
                CHECK(strcmp(variant, forced) == 0, "forced %s, got %s", forced, variant);
            }
        } else {
            CHECK(strstr(info, "compiled into libgpt2") != NULL, "info says the CPU backend is built in: %s", info);
            CHECK(forced == NULL || forced[0] == '\0', "a forced variant was ignored by a build without variants");
        }
        if (model != NULL) {
            gpt2_session * s = gpt2_session_new(model, NULL);
            CHECK(s != NULL, "a session on it");
            int32_t tok = 1;
            gpt2_batch b = { 1, &tok, NULL, NULL };
            CHECK(s != NULL && gpt2_eval(s, &b) == GPT2_OK, "an eval on it");
            gpt2_session_free(s);
        }
    }
    gpt2_model_free(model);

    return check_summary("test_backends");
}
