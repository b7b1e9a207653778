// test_threads.cpp: threads never change results. The same prompt gives the same logits, bit for
// bit, evaluated with 1 thread, with every CPU, and by eight sessions evaluating at once (which the
// CPU budget runs on one thread each, cpu-budget.h), on F32 and Q8_0 weights.
#include "gpt2.h"
#include "gpt2-tools.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "check.h"

namespace {

constexpr int N = 16;

// The logits of the prompt's last token from a new session with n_threads (0: the model's).
bool last_logits(gpt2_model * model, int32_t n_threads, const int32_t * prompt, std::vector<float> & out) {
    gpt2_session_params sp = gpt2_session_default_params();
    sp.n_cells   = 64;
    sp.n_threads = n_threads;
    gpt2_session * s = gpt2_session_new(model, &sp);
    if (s == nullptr) return false;
    bool ok = true;
    for (int i = 0; i < N && ok; i++) {  // one token at a time, as decoding does
        int32_t seq = 0;
        int8_t  want = 1;
        gpt2_batch b = { 1, prompt + i, &seq, &want };
        ok = gpt2_eval(s, &b) == GPT2_OK;
    }
    const int V = gpt2_model_n_vocab(model);
    if (ok) out.assign(gpt2_get_logits(s), gpt2_get_logits(s) + V);
    gpt2_session_free(s);
    return ok;
}

void check_model(const std::string & path, int32_t weight_type) {
    gpt2_random_model_params rp = gpt2_random_model_default_params();
    rp.n_vocab = 301; rp.n_ctx = 64; rp.n_embd = 128; rp.n_head = 4; rp.n_layer = 2;
    rp.seed = 11; rp.scale = 0.3f; rp.weight_type = weight_type;
    if (gpt2_write_random_model(path.c_str(), &rp) != GPT2_OK) {
        CHECK(false, "cannot write %s: %s", path.c_str(), gpt2_tools_last_error());
        return;
    }
    gpt2_model_params mp = gpt2_model_default_params();
    mp.n_threads = 64;  // capped at the CPUs
    gpt2_model * model = gpt2_model_load(path.c_str(), &mp);
    CHECK(model != nullptr, "load %s", path.c_str());
    if (model == nullptr) return;
    int32_t prompt[N];
    for (int i = 0; i < N; i++) prompt[i] = (int32_t) ((i * 37 + 11) % 300);

    std::vector<float> one, all;
    CHECK(last_logits(model, 1, prompt, one), "eval with 1 thread");
    CHECK(last_logits(model, 0, prompt, all), "eval with every CPU");
    CHECK(one.size() == all.size() && std::memcmp(one.data(), all.data(), one.size() * sizeof(float)) == 0,
          "type %d: 1 thread and every CPU differ", weight_type);

    std::vector<std::vector<float>> got(8);
    std::vector<int> ok(8, 0);
    std::vector<std::thread> ts;
    for (int t = 0; t < 8; t++) {
        ts.emplace_back([&, t] { ok[t] = last_logits(model, 0, prompt, got[t]); });
    }
    for (auto & t : ts) t.join();
    for (int t = 0; t < 8; t++) {
        CHECK(ok[t] && got[t].size() == one.size() && std::memcmp(got[t].data(), one.data(), one.size() * sizeof(float)) == 0,
              "type %d: concurrent session %d differs from 1 thread alone", weight_type, t);
    }
    gpt2_model_free(model);
}

}  // namespace

int main() {
    const char * tmp = std::getenv("GPT2_TEST_TMPDIR");
    const std::string dir = tmp ? tmp : ".";
    check_model(dir + "/test_threads_f32.gguf", GPT2_TYPE_F32);
    check_model(dir + "/test_threads_q8_0.gguf", GPT2_TYPE_Q8_0);
    return check_summary("test_threads");
}
