// test_interventions.c: gpt2_session_set_interventions and gpt2_get_head_outputs on a random model:
// the identity changes nothing; patching a run with its own activations changes nothing; patching
// the embeddings of one prompt into another gives the other's logits; a zero-ablated head outputs
// zeros while the others keep theirs; an intervention at position p leaves earlier positions alone;
// and every bad argument is refused with nothing changed.
#include "gpt2.h"
#include "gpt2-tools.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test-arrays.h"

enum { N = 12, V_MAX = 400 };

int main(void) {
    const char * tmp = getenv("GPT2_TEST_TMPDIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/test_interventions.gguf", tmp ? tmp : ".");
    gpt2_random_model_params rp = gpt2_random_model_default_params();
    rp.n_vocab = 300; rp.n_ctx = 64; rp.n_embd = 48; rp.n_head = 3; rp.n_layer = 2; rp.seed = 5; rp.scale = 0.3f;
    if (gpt2_write_random_model(path, &rp) != GPT2_OK) {
        fprintf(stderr, "%s\n", gpt2_tools_last_error());
        return 1;
    }
    gpt2_model * model = gpt2_model_load(path, NULL);
    CHECK(model != NULL, "load");
    if (model == NULL) return check_summary("test_interventions");
    const int V = gpt2_model_n_vocab(model), E = gpt2_model_n_embd(model), H = gpt2_model_n_head(model);
    const int L = gpt2_model_n_layer(model), D = E / H;
    gpt2_session_params sp = gpt2_session_default_params();
    sp.n_cells = 64;
    sp.capture_hidden = 1;
    gpt2_session * s = gpt2_session_new(model, &sp);
    CHECK(s != NULL, "session");

    int32_t a[N], b[N];
    for (int i = 0; i < N; i++) {
        a[i] = (int32_t) ((i * 37 + 11) % (V - 1));
        b[i] = (int32_t) ((i * 53 + 7) % (V - 1));
    }
    static float base[N * V_MAX], other[N * V_MAX], got[N * V_MAX];
    static float emb_b[N * 64], heads0[N * 64], heads1[N * 64], last_a[N * 64];
    CHECK(eval_every_position(s, b, N, other, V), "eval b");
    CHECK(gpt2_get_hidden(s, 0, emb_b, N * 64) == (int64_t) N * E, "b's embeddings");
    CHECK(eval_every_position(s, a, N, base, V), "eval a");
    CHECK(gpt2_get_head_outputs(s, 0, heads0, N * 64) == (int64_t) N * E, "a's head outputs");
    CHECK(gpt2_get_hidden(s, L, last_a, N * 64) == (int64_t) N * E, "a's last block output");
    CHECK(gpt2_get_head_outputs(s, L, NULL, 0) == GPT2_ERR_INVALID_ARG, "head outputs of block n_layer");

    // the identity (scale 1, nothing added) changes nothing
    gpt2_intervention id = { GPT2_SITE_HEAD, 1, 2, -1, 1.0f, NULL };
    CHECK(gpt2_session_set_interventions(s, &id, 1) == GPT2_OK, "set the identity");
    CHECK(eval_every_position(s, a, N, got, V) && max_abs_diff(got, base, (long) N * V) == 0.0f, "the identity changed the logits");

    // patching a run with its own last block output, position by position, changes nothing
    gpt2_intervention self[N];
    for (int t = 0; t < N; t++) self[t] = (gpt2_intervention) { GPT2_SITE_RESIDUAL, L, -1, t, 0.0f, last_a + (size_t) t * E };
    CHECK(gpt2_session_set_interventions(s, self, N) == GPT2_OK, "set the self-patch");
    CHECK(eval_every_position(s, a, N, got, V), "eval self-patched");
    CHECK(max_abs_diff(got, base, (long) N * V) < 1e-5f, "self-patch changed the logits by %g", max_abs_diff(got, base, (long) N * V));

    // b's embeddings patched into a's run at every position: b's logits
    gpt2_intervention emb[N];
    for (int t = 0; t < N; t++) emb[t] = (gpt2_intervention) { GPT2_SITE_RESIDUAL, 0, -1, t, 0.0f, emb_b + (size_t) t * E };
    CHECK(gpt2_session_set_interventions(s, emb, N) == GPT2_OK, "set the embedding patch");
    CHECK(eval_every_position(s, a, N, got, V), "eval patched");
    CHECK(max_abs_diff(got, other, (long) N * V) < 1e-5f, "a with b's embeddings is %g from b", max_abs_diff(got, other, (long) N * V));

    // head 1 of block 0 zero-ablated: its outputs are 0, the other heads' unchanged, the logits move
    gpt2_intervention zero = { GPT2_SITE_HEAD, 0, 1, -1, 0.0f, NULL };
    CHECK(gpt2_session_set_interventions(s, &zero, 1) == GPT2_OK, "set the ablation");
    CHECK(eval_every_position(s, a, N, got, V), "eval ablated");
    CHECK(gpt2_get_head_outputs(s, 0, heads1, N * 64) == (int64_t) N * E, "ablated head outputs");
    float ablated = 0.0f, others = 0.0f;
    for (int t = 0; t < N; t++) {
        for (int e = 0; e < E; e++) {
            const float d = fabsf(heads1[t * E + e] - (e / D == 1 ? 0.0f : heads0[t * E + e]));
            if (e / D == 1) ablated = fmaxf(ablated, d); else others = fmaxf(others, d);
        }
    }
    CHECK(ablated == 0.0f && others == 0.0f, "ablated head %g from 0, other heads %g from before", ablated, others);
    CHECK(max_abs_diff(got, base, (long) N * V) > 1e-3f, "ablating a head did not move the logits");

    // at position 5 only: positions 0..4 keep their logits, position 5 on do not
    gpt2_intervention at5 = { GPT2_SITE_HEAD, 0, 0, 5, 0.0f, NULL };
    CHECK(gpt2_session_set_interventions(s, &at5, 1) == GPT2_OK, "set at position 5");
    CHECK(eval_every_position(s, a, N, got, V), "eval at position 5");
    CHECK(max_abs_diff(got, base, 5L * V) == 0.0f, "positions before 5 changed by %g", max_abs_diff(got, base, 5L * V));
    CHECK(max_abs_diff(got + 5 * V, base + 5 * V, (long) V) > 1e-4f, "position 5 did not change");

    // refused, and the interventions in force stay (position 5's)
    float nan_values[64];
    for (int e = 0; e < 64; e++) nan_values[e] = e == 3 ? NAN : 0.0f;
    const gpt2_intervention bad[] = {
        { 7, 0, -1, -1, 0.0f, NULL },                        // no such site
        { GPT2_SITE_HEAD, L, 0, -1, 0.0f, NULL },            // a head of block n_layer
        { GPT2_SITE_HEAD, 0, H, -1, 0.0f, NULL },            // head n_head
        { GPT2_SITE_RESIDUAL, L + 1, -1, -1, 0.0f, NULL },   // past the last point
        { GPT2_SITE_RESIDUAL, 0, 0, -1, 0.0f, NULL },        // a head on the residual stream
        { GPT2_SITE_RESIDUAL, 0, -1, -2, 0.0f, NULL },       // pos -2
        { GPT2_SITE_RESIDUAL, 0, -1, 64, 0.0f, NULL },       // pos = n_ctx
        { GPT2_SITE_HEAD, 0, 0, -1, NAN, NULL },             // scale NaN
        { GPT2_SITE_HEAD, 0, 0, -1, INFINITY, NULL },        // scale inf
        { GPT2_SITE_HEAD, 0, 0, -1, 0.0f, nan_values },      // a value NaN
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const gpt2_intervention two[2] = { at5, bad[i] };
        CHECK(gpt2_session_set_interventions(s, two, 2) == GPT2_ERR_INVALID_ARG, "bad intervention %zu accepted", i);
        CHECK(strstr(gpt2_last_error(), "list[1]") != NULL, "bad intervention %zu: message %s", i, gpt2_last_error());
    }
    CHECK(gpt2_session_set_interventions(s, NULL, 1) == GPT2_ERR_INVALID_ARG, "NULL list with n 1");
    CHECK(gpt2_session_set_interventions(s, &at5, -1) == GPT2_ERR_INVALID_ARG, "n -1");
    CHECK(gpt2_session_set_interventions(s, &at5, GPT2_MAX_INTERVENTIONS + 1) == GPT2_ERR_INVALID_ARG, "n too large");
    CHECK(gpt2_session_set_interventions(NULL, &at5, 1) == GPT2_ERR_INVALID_ARG, "NULL session");
    static float again[N * V_MAX];
    CHECK(eval_every_position(s, a, N, again, V) && max_abs_diff(again, got, (long) N * V) == 0.0f, "a refused list changed the interventions");

    // cleared: the model as it was
    CHECK(gpt2_session_set_interventions(s, NULL, 0) == GPT2_OK, "clear");
    CHECK(eval_every_position(s, a, N, got, V) && max_abs_diff(got, base, (long) N * V) == 0.0f, "clearing did not restore the logits");

    // flash attention: the same head outputs, captured (a copy: its output buffer is reused by the
    // next layer) and ablated
    sp.flash_attn = 1;
    gpt2_session * f = gpt2_session_new(model, &sp);
    CHECK(f != NULL, "flash attention session");
    static float heads_f[N * 64];
    CHECK(eval_every_position(f, a, N, got, V) && max_abs_diff(got, base, (long) N * V) < 1e-4f, "flash attention logits");
    for (int il = 0; il < L; il++) {
        static float plain[N * 64];
        CHECK(gpt2_session_set_interventions(s, NULL, 0) == GPT2_OK && eval_every_position(s, a, N, again, V), "plain run");
        CHECK(gpt2_get_head_outputs(s, il, plain, N * 64) == (int64_t) N * E, "plain heads %d", il);
        CHECK(gpt2_get_head_outputs(f, il, heads_f, N * 64) == (int64_t) N * E, "flash heads %d", il);
        CHECK(max_abs_diff(heads_f, plain, (long) N * E) < 1e-4f, "block %d: flash heads %g from plain", il,
              max_abs_diff(heads_f, plain, (long) N * E));
    }
    CHECK(gpt2_session_set_interventions(f, &zero, 1) == GPT2_OK && eval_every_position(f, a, N, got, V), "flash ablated");
    CHECK(gpt2_get_head_outputs(f, 0, heads_f, N * 64) == (int64_t) N * E, "flash ablated heads");
    float flash_ablated = 0.0f;
    for (int t = 0; t < N; t++) {
        for (int e = D; e < 2 * D; e++) flash_ablated = fmaxf(flash_ablated, fabsf(heads_f[t * E + e]));
    }
    CHECK(flash_ablated == 0.0f, "flash attention: ablated head %g from 0", flash_ablated);
    gpt2_session_free(f);

    gpt2_session_free(s);
    gpt2_model_free(model);
    return check_summary("test_interventions");
}
