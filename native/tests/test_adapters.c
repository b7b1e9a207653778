// test_adapters.c: LoRA adapters applied at run time (gpt2_adapter_load, gpt2_session_set_adapters) give
// the logits of the model with the adapter merged into its matrices, within float rounding, with the
// plain and the fused attention; scale 0 and clearing give the base model's logits bit for bit; two
// adapters add; an adapter of some matrices only changes those; the session keeps a freed adapter
// alive; and every bad file and argument is refused with a message, the session's adapters unchanged.
#include "gpt2.h"
#include "gpt2-tools.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test-arrays.h"

enum { N = 16, V = 300 };

// |runtime - merged| <= BOUND * max |logit|: both in F32, one computes x@W + s(x@A)@B, the other x@(W + sBA)
#define BOUND 2e-5f

static const int32_t prompt[N] = {5, 17, 250, 3, 99, 42, 7, 7, 120, 64, 1, 0, 288, 31, 150, 9};

static gpt2_session * session(gpt2_model * m, int flash) {
    gpt2_session_params sp = gpt2_session_default_params();
    sp.n_cells = 64;
    sp.flash_attn = (uint8_t) flash;
    return gpt2_session_new(m, &sp);
}

// The logits of merged_path's model.
static int merged_logits(const char * merged_path, int flash, float * out) {
    gpt2_model * m = gpt2_model_load(merged_path, NULL);
    if (m == NULL) return 0;
    gpt2_session * s = session(m, flash);
    int ok = s != NULL && eval_every_position(s, prompt, N, out, V);
    gpt2_session_free(s);
    gpt2_model_free(m);
    return ok;
}

// A file in the test's temporary folder; the path stays valid until the process ends.
static const char * temp_path(const char * name) {
    static char paths[16][1024];
    static int n = 0;
    if (n == 16) abort();
    const char * tmp = getenv("GPT2_TEST_TMPDIR");
    snprintf(paths[n], sizeof(paths[n]), "%s/test_adapters_%s", tmp ? tmp : ".", name);
    return paths[n++];
}

int main(void) {
    const char * model_path = temp_path("model.gguf"), * other_model = temp_path("other-model.gguf");
    const char * a1 = temp_path("a1.gguf"), * m1 = temp_path("merged1.gguf");
    const char * a2 = temp_path("a2.gguf"), * m12 = temp_path("merged12.gguf");
    const char * part = temp_path("part.gguf"), * mpart = temp_path("merged-part.gguf");
    const char * noalpha = temp_path("noalpha.gguf"), * mnoalpha = temp_path("merged-noalpha.gguf");
    const char * other_adapter = temp_path("other-adapter.gguf"), * truncated = temp_path("truncated.gguf");

    gpt2_random_model_params rp = gpt2_random_model_default_params();
    rp.n_vocab = V; rp.n_ctx = 64; rp.n_embd = 64; rp.n_head = 4; rp.n_layer = 2; rp.seed = 11; rp.scale = 0.3f;
    gpt2_random_model_params rq = rp;
    rq.n_embd = 32; rq.n_head = 2;
    gpt2_random_lora_params l1 = gpt2_random_lora_default_params();
    l1.scale = 0.15f;
    gpt2_random_lora_params l2 = l1;
    l2.seed = 99; l2.rank = 8; l2.alpha = 4.0f;
    gpt2_random_lora_params lp = l1;
    lp.seed = 5; lp.layer = 1; lp.targets = 1u << 3;   // block 1's ffn_down only
    gpt2_random_lora_params ln = l1;
    ln.seed = 6; ln.alpha = 0.0f; ln.scale = 0.05f;
    if (gpt2_write_random_model(model_path, &rp) != GPT2_OK || gpt2_write_random_model(other_model, &rq) != GPT2_OK ||
        gpt2_write_random_lora(model_path, a1, m1, &l1) != GPT2_OK ||
        gpt2_write_random_lora(m1, a2, m12, &l2) != GPT2_OK ||   // a2's draws do not depend on the weights
        gpt2_write_random_lora(model_path, part, mpart, &lp) != GPT2_OK ||
        gpt2_write_random_lora(model_path, noalpha, mnoalpha, &ln) != GPT2_OK ||
        gpt2_write_random_lora(other_model, other_adapter, NULL, &l1) != GPT2_OK) {
        fprintf(stderr, "%s\n", gpt2_tools_last_error());
        return 1;
    }

    gpt2_model * model = gpt2_model_load(model_path, NULL);
    CHECK(model != NULL, "load");
    if (model == NULL) return check_summary("test_adapters");
    CHECK(gpt2_model_n_vocab(model) == V, "vocab");
    gpt2_adapter * ad1 = gpt2_adapter_load(model, a1);
    gpt2_adapter * ad2 = gpt2_adapter_load(model, a2);
    gpt2_adapter * adp = gpt2_adapter_load(model, part);
    gpt2_adapter * adn = gpt2_adapter_load(model, noalpha);
    CHECK(ad1 && ad2 && adp && adn, "adapters load");
    if (!(ad1 && ad2 && adp && adn)) return check_summary("test_adapters");
    CHECK(gpt2_adapter_rank(ad1) == 4 && gpt2_adapter_n_matrices(ad1) == 8 && gpt2_adapter_alpha(ad1) == 8.0f,
          "ad1: rank %d, %d matrices, alpha %g", gpt2_adapter_rank(ad1), gpt2_adapter_n_matrices(ad1), gpt2_adapter_alpha(ad1));
    CHECK(strcmp(gpt2_adapter_name(ad1), "gpt2-random-lora") == 0, "name %s", gpt2_adapter_name(ad1));
    CHECK(gpt2_adapter_rank(adp) == 4 && gpt2_adapter_n_matrices(adp) == 1, "part: %d matrices", gpt2_adapter_n_matrices(adp));
    CHECK(gpt2_adapter_alpha(adn) == 0.0f, "no alpha key: 0");

    static float base[N * V], got[N * V], want[N * V];
    for (int flash = 0; flash <= 1; flash++) {
        gpt2_session * s = session(model, flash);
        CHECK(s != NULL, "session (flash %d)", flash);
        if (s == NULL) break;
        CHECK(eval_every_position(s, prompt, N, base, V), "base eval");
        const float top = max_abs(base, N * V);

        // one adapter at scale 1: the merged model's logits, and far from the base's
        float one = 1.0f;
        CHECK(gpt2_session_set_adapters(s, &ad1, &one, 1) == GPT2_OK, "set ad1");
        CHECK(eval_every_position(s, prompt, N, got, V) && merged_logits(m1, flash, want), "ad1 and merged1");
        float d = max_abs_diff(got, want, N * V), moved = max_abs_diff(got, base, N * V);
        printf("flash %d: ad1 vs merged %.3g, vs base %.3g (max |logit| %.3g)\n", flash, d, moved, top);
        CHECK(d <= BOUND * top, "flash %d: ad1 vs merged: %g > %g", flash, d, BOUND * top);
        CHECK(moved > 1000 * BOUND * top, "flash %d: the adapter moves the logits (%g)", flash, moved);

        // the caller's reference dropped: the session keeps the adapter (a copy of the pointer to reload below)
        // two adapters add: ad1 + ad2 is the model merged with both
        gpt2_adapter * both[2] = {ad1, ad2};
        float ones[2] = {1.0f, 1.0f};
        CHECK(gpt2_session_set_adapters(s, both, ones, 2) == GPT2_OK, "set ad1, ad2");
        CHECK(eval_every_position(s, prompt, N, got, V) && merged_logits(m12, flash, want), "both and merged12");
        d = max_abs_diff(got, want, N * V);
        CHECK(d <= BOUND * top, "flash %d: ad1 + ad2 vs merged: %g", flash, d);

        // an adapter of one matrix; an adapter without alpha (scale = the session's)
        CHECK(gpt2_session_set_adapters(s, &adp, &one, 1) == GPT2_OK, "set part");
        CHECK(eval_every_position(s, prompt, N, got, V) && merged_logits(mpart, flash, want), "part and merged");
        d = max_abs_diff(got, want, N * V);
        CHECK(d <= BOUND * top && max_abs_diff(got, base, N * V) > 0.0f, "flash %d: part vs merged: %g", flash, d);
        CHECK(gpt2_session_set_adapters(s, &adn, &one, 1) == GPT2_OK, "set no-alpha");
        CHECK(eval_every_position(s, prompt, N, got, V) && merged_logits(mnoalpha, flash, want), "no-alpha and merged");
        d = max_abs_diff(got, want, N * V);
        CHECK(d <= BOUND * top, "flash %d: no-alpha vs merged: %g", flash, d);

        // scale 0 and clearing: the base model, bit for bit
        float zero = 0.0f;
        CHECK(gpt2_session_set_adapters(s, &ad1, &zero, 1) == GPT2_OK, "scale 0");
        CHECK(eval_every_position(s, prompt, N, got, V) && memcmp(got, base, sizeof(got)) == 0, "flash %d: scale 0 is the base model", flash);
        CHECK(gpt2_session_set_adapters(s, NULL, NULL, 0) == GPT2_OK, "clear");
        CHECK(eval_every_position(s, prompt, N, got, V) && memcmp(got, base, sizeof(got)) == 0, "flash %d: cleared is the base model", flash);
        gpt2_session_free(s);
    }

    // a session keeps its adapters alive after the caller frees them
    {
        gpt2_session * s = session(model, 0);
        float one = 1.0f;
        gpt2_adapter * extra = gpt2_adapter_load(model, a1);
        CHECK(extra != NULL && gpt2_session_set_adapters(s, &extra, &one, 1) == GPT2_OK, "set extra");
        gpt2_adapter_free(extra);
        CHECK(eval_every_position(s, prompt, N, got, V) && merged_logits(m1, 0, want) && max_abs_diff(got, want, N * V) <= BOUND * max_abs(want, N * V),
              "a freed adapter still applies");

        // misuse: refused, the adapters as before
        gpt2_adapter * none = NULL;
        gpt2_adapter * twice[2] = {ad1, ad1};
        float ones[2] = {1.0f, 1.0f}, nan_scale = NAN;
        gpt2_adapter * many[GPT2_MAX_ADAPTERS + 1];
        float many_scales[GPT2_MAX_ADAPTERS + 1];
        for (int i = 0; i <= GPT2_MAX_ADAPTERS; i++) { many[i] = ad1; many_scales[i] = 1.0f; }
        CHECK(gpt2_session_set_adapters(NULL, &ad1, &one, 1) == GPT2_ERR_INVALID_ARG, "NULL session");
        CHECK(gpt2_session_set_adapters(s, many, many_scales, GPT2_MAX_ADAPTERS + 1) == GPT2_ERR_INVALID_ARG &&
              strstr(gpt2_last_error(), "out of range") != NULL, "too many: %s", gpt2_last_error());
        CHECK(gpt2_session_set_adapters(s, NULL, &one, 1) == GPT2_ERR_INVALID_ARG, "NULL adapters");
        CHECK(gpt2_session_set_adapters(s, &ad1, NULL, 1) == GPT2_ERR_INVALID_ARG, "NULL scales");
        CHECK(gpt2_session_set_adapters(s, &none, &one, 1) == GPT2_ERR_INVALID_ARG, "NULL entry");
        CHECK(gpt2_session_set_adapters(s, twice, ones, 2) == GPT2_ERR_INVALID_ARG &&
              strstr(gpt2_last_error(), "again") != NULL, "listed twice: %s", gpt2_last_error());
        CHECK(gpt2_session_set_adapters(s, &ad1, &nan_scale, 1) == GPT2_ERR_INVALID_ARG &&
              strstr(gpt2_last_error(), "scales[0]") != NULL, "NaN scale: %s", gpt2_last_error());
        CHECK(gpt2_session_set_adapters(s, &ad1, &one, -1) == GPT2_ERR_INVALID_ARG, "n < 0");
        gpt2_model * m2 = gpt2_model_load(m1, NULL);
        gpt2_adapter * foreign = m2 ? gpt2_adapter_load(m2, a1) : NULL;
        CHECK(foreign != NULL, "an adapter for the merged model (same shape)");
        CHECK(gpt2_session_set_adapters(s, &foreign, &one, 1) == GPT2_ERR_INVALID_ARG &&
              strstr(gpt2_last_error(), "another model") != NULL, "another model's adapter: %s", gpt2_last_error());
        gpt2_adapter_free(foreign);
        gpt2_model_free(m2);
        CHECK(eval_every_position(s, prompt, N, got, V) && max_abs_diff(got, want, N * V) <= BOUND * max_abs(want, N * V), "after the refusals: still ad1");
        gpt2_session_free(s);
    }

    // bad files: a clear status and message, nothing loaded
    {
        FILE * in = fopen(a1, "rb");
        FILE * out = fopen(truncated, "wb");
        char buf[4096];
        size_t n, total = 0;
        while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0 && total < 20000) {
            fwrite(buf, 1, n, out);
            total += n;
        }
        if (in) fclose(in);
        if (out) fclose(out);
        struct { const char * path; gpt2_status status; const char * message; } cases[] = {
            {model_path, GPT2_ERR_FORMAT, "general.type"},             // a model, not an adapter
            {other_adapter, GPT2_ERR_FORMAT, "has shape"},             // made for a model of another width
            {truncated, GPT2_ERR_FORMAT, "truncated"},
            {"/nonexistent/adapter.gguf", GPT2_ERR_IO, "cannot open"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            gpt2_adapter * bad = gpt2_adapter_load(model, cases[i].path);
            CHECK(bad == NULL && gpt2_last_status() == cases[i].status && strstr(gpt2_last_error(), cases[i].message) != NULL &&
                  strstr(gpt2_last_error(), cases[i].path) != NULL,
                  "%s: status %d, message %s", cases[i].path, gpt2_last_status(), gpt2_last_error());
            gpt2_adapter_free(bad);
        }
        CHECK(gpt2_adapter_load(NULL, a1) == NULL && gpt2_last_status() == GPT2_ERR_INVALID_ARG, "NULL model");
        CHECK(gpt2_adapter_load(model, NULL) == NULL && gpt2_last_status() == GPT2_ERR_INVALID_ARG, "NULL path");
        gpt2_adapter_free(NULL);
    }

    gpt2_adapter_free(ad1);
    gpt2_adapter_free(ad2);
    gpt2_adapter_free(adp);
    gpt2_adapter_free(adn);
    gpt2_model_free(model);
    return check_summary("test_adapters");
}
