// session.cpp: sessions, evaluation, sequences and captures of the C API.
#include "session.h"

#include "cpu-budget.h"

#include "error.h"
#include "log.h"

#include "backends.h"
#include "matmul.h"

#include <algorithm>
#include <bitset>
#include <cinttypes>
#include <cmath>
#include <cstring>
#include <memory>

#define GPT2_MAX_CELLS (1 << 20)

gpt2_session::~gpt2_session() {
    if (galloc != nullptr) ggml_gallocr_free(galloc);
    if (buf_kv != nullptr) ggml_backend_buffer_free(buf_kv);
    if (ctx_kv != nullptr) ggml_free(ctx_kv);
    if (backend != nullptr) ggml_backend_free(backend);
    if (threadpool != nullptr && threadpool_free != nullptr) threadpool_free(threadpool);
    for (const auto & [a, scale] : adapters) gpt2_adapter_release(a);
    gpt2_model_release(model);
}

gpt2_session_params gpt2_session_default_params(void) {
    // zero: n_cells, n_batch and n_threads chosen by the session (gpt2.h), no captures, no flash attention
    gpt2_session_params p{};
    p.n_seq_max = 1;
    p.kv_type   = GPT2_TYPE_F32;
    p.matmul    = GPT2_MATMUL_AUTO;
    return p;
}

namespace {

// The CPU backend computes on a thread pool of the session's own. Its workers sleep between
// evals (poll 0) instead of spinning: a JVM has other work for the cores. (ggml is built without
// OpenMP for the same reason: libgomp's workers spin after every parallel region.)
bool set_threads(gpt2_session * s, int32_t n_threads) {
    // more threads than CPUs only wait on each other (cpu-budget.h)
    const int32_t n = std::min(n_threads > 0 ? n_threads : s->model->params.n_threads, gpt2_cpu_count());
    const gpt2_cpu_api cpu = gpt2_cpu_api_of(s->backend);
    if (cpu.threadpool_new != nullptr && cpu.threadpool_free != nullptr && cpu.set_threadpool != nullptr) {
        if (s->threadpool == nullptr || n > s->threadpool_size) {
            ggml_threadpool_params tpp = ggml_threadpool_params_default(n);
            tpp.poll = 0;
            ggml_threadpool_t pool = cpu.threadpool_new(&tpp);
            if (pool == nullptr) return false;
            cpu.set_threadpool(s->backend, pool);
            if (s->threadpool != nullptr) cpu.threadpool_free(s->threadpool);
            s->threadpool = pool;
            s->threadpool_free = cpu.threadpool_free;
            s->threadpool_size = n;
        }
    }
    if (cpu.set_n_threads != nullptr) cpu.set_n_threads(s->backend, n);
    s->params.n_threads = n;
    return true;
}

// Sizes the host-side batch arrays for n_tokens tokens reading n_kv cells.
void size_ubatch(gpt2_session * s, int32_t n_tokens, int32_t n_kv, int32_t n_outputs) {
    gpt2_ubatch & ub = s->ub;
    const size_t E = (size_t) s->model->hparams.n_embd;
    ub.n_tokens  = n_tokens;
    ub.n_kv      = n_kv;
    ub.n_outputs = n_outputs;
    ub.tokens.resize(n_tokens);
    ub.pos.resize(n_tokens);
    ub.seq.resize(n_tokens);
    ub.k_idx.resize(n_tokens);
    ub.v_idx.resize(E * n_tokens);
    ub.mask.resize((size_t) n_kv * n_tokens);
    ub.out_ids.resize(n_outputs);
}

// Grows the graph's metadata arena to what the graph of s->ub needs.
void size_graph_mem(gpt2_session * s) {
    const size_t n = gpt2_graph_size(s);
    const size_t bytes = ggml_tensor_overhead() * n + ggml_graph_overhead_custom(n, false);
    if (s->graph_mem.size() < bytes) s->graph_mem.resize(bytes);
}

// The flash attention's groups (gpt2_ubatch::group) of the batch in s->ub: one per sequence, in the order
// of their first tokens, each with the span of cells that holds its sequence's cells and its mask there.
// n_kv: the cells in use, kv.used_end().
void build_groups(gpt2_session * s, int32_t n_kv) {
    gpt2_ubatch & ub = s->ub;
    const gpt2_kv_cache & kv = s->kv;
    const int32_t T = ub.n_tokens;
    std::vector<int32_t> & of_seq = s->scratch_end;   // group of each sequence, -1: none
    of_seq.assign((size_t) s->params.n_seq_max, -1);
    ub.groups.clear();
    std::bitset<GPT2_MAX_SEQ> in_batch;
    for (int32_t i = 0; i < T; i++) {
        int32_t & g = of_seq[ub.seq[i]];
        if (g < 0) {
            g = (int32_t) ub.groups.size();
            ub.groups.push_back({ ub.seq[i], 0, 0, i, INT32_MAX, -1, 0 });
            in_batch.set((size_t) ub.seq[i]);
        }
        gpt2_ubatch::group & gr = ub.groups[g];
        if (gr.first_token >= 0 && gr.first_token + gr.n_tokens != i) gr.first_token = -1;  // not consecutive
        gr.n_tokens++;
    }
    // batch indexes, group after group
    int32_t next = 0;
    for (gpt2_ubatch::group & gr : ub.groups) { gr.first = next; next += gr.n_tokens; }
    ub.group_tokens.resize(T);
    std::vector<int32_t> & fill = s->scratch_pos;
    fill.assign(ub.groups.size(), 0);
    for (int32_t i = 0; i < T; i++) {
        const int32_t g = of_seq[ub.seq[i]];
        ub.group_tokens[ub.groups[g].first + fill[g]++] = i;
    }
    // spans: from the lowest to the highest cell of each sequence (span holds the highest meanwhile)
    for (int32_t c = 0; c < n_kv; c++) {
        const std::bitset<GPT2_MAX_SEQ> in = kv.cells[c].seqs & in_batch;
        if (in.none()) continue;
        for (int32_t q = 0; q < s->params.n_seq_max; q++) {
            if (!in.test((size_t) q)) continue;
            gpt2_ubatch::group & gr = ub.groups[of_seq[q]];
            gr.lo   = std::min(gr.lo, c);
            gr.span = c;
        }
    }
    size_t n_mask = 0;
    for (gpt2_ubatch::group & gr : ub.groups) {
        gr.span     = gr.span - gr.lo + 1;   // every group has a cell: its tokens' own
        gr.mask_off = n_mask;
        n_mask += (size_t) gr.span * gr.n_tokens;
    }
    ub.group_mask.resize(n_mask);
    const ggml_fp16_t zero = ggml_fp32_to_fp16(0.0f), minus_inf = ggml_fp32_to_fp16(-INFINITY);
    for (const gpt2_ubatch::group & gr : ub.groups) {
        for (int32_t t = 0; t < gr.n_tokens; t++) {
            const int32_t pos = ub.pos[ub.group_tokens[gr.first + t]];
            ggml_fp16_t * row = ub.group_mask.data() + gr.mask_off + (size_t) t * gr.span;
            for (int32_t j = 0; j < gr.span; j++) row[j] = kv.visible(gr.lo + j, gr.seq, pos) ? zero : minus_inf;
        }
    }
}

gpt2_status create(gpt2_session * s, const gpt2_session_params & in) {
    const char * fn = "gpt2_session_new";
    const gpt2_model & m = *s->model;
    gpt2_session_params p = in;

    // check and resolve the parameters
    if (p.n_cells <= 0) p.n_cells = m.hparams.n_ctx_train;
    if (p.n_cells > GPT2_MAX_CELLS) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_cells %d is out of range [1, %d]", fn, p.n_cells, GPT2_MAX_CELLS);
    }
    if (p.n_seq_max < 1 || p.n_seq_max > GPT2_MAX_SEQ) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_seq_max %d is out of range [1, %d]", fn, p.n_seq_max, GPT2_MAX_SEQ);
    }
    if (p.n_batch <= 0) p.n_batch = std::min(p.n_cells, 512);
    if (p.n_batch > p.n_cells) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_batch %d is larger than n_cells %d", fn, p.n_batch, p.n_cells);
    }
    if (p.n_threads > GGML_MAX_N_THREADS) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_threads %d is out of range [1, %d]", fn, p.n_threads, GGML_MAX_N_THREADS);
    }
    if (p.kv_type != GPT2_TYPE_F32 && p.kv_type != GPT2_TYPE_F16) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: kv_type %d is not GPT2_TYPE_F32 or GPT2_TYPE_F16", fn, p.kv_type);
    }
    if (p.capture_attention > 1 || p.capture_hidden > 1 || p.flash_attn > 1) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: capture flags and flash_attn must be 0 or 1", fn);
    }
    if (p.flash_attn && ggml_backend_dev_type(m.dev) != GGML_BACKEND_DEVICE_TYPE_CPU) {
        // the fused op's support for an F32 cache differs between GPU backends: refused, not aborted
        return gpt2_fail(GPT2_ERR_UNSUPPORTED, "%s: flash_attn is supported on the CPU backend only (this model is on %s)",
                         fn, m.backend_name.c_str());
    }
    if (p.matmul != GPT2_MATMUL_GGML && p.matmul != GPT2_MATMUL_LIBGPT2 && p.matmul != GPT2_MATMUL_AUTO) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: matmul %d is not GPT2_MATMUL_GGML (0), GPT2_MATMUL_LIBGPT2 (1) or "
                         "GPT2_MATMUL_AUTO (2)", fn, p.matmul);
    }
    if (p.matmul == GPT2_MATMUL_AUTO) {
        p.matmul = ggml_backend_dev_type(m.dev) == GGML_BACKEND_DEVICE_TYPE_CPU ? GPT2_MATMUL_LIBGPT2 : GPT2_MATMUL_GGML;
    }
    if (p.matmul == GPT2_MATMUL_LIBGPT2 && ggml_backend_dev_type(m.dev) != GGML_BACKEND_DEVICE_TYPE_CPU) {
        // ggml's custom ops run on the CPU backend only
        return gpt2_fail(GPT2_ERR_UNSUPPORTED, "%s: matmul GPT2_MATMUL_LIBGPT2 is supported on the CPU backend only (this "
                         "model is on %s)", fn, m.backend_name.c_str());
    }
    if (p.flash_attn && p.capture_attention) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: flash_attn never forms the attention probabilities that "
                         "capture_attention keeps: set one of them", fn);
    }
    s->params = p;

    // a backend of the model's device, of our own: threads and work memory are per session
    s->backend = ggml_backend_dev_init(m.dev, nullptr);
    if (s->backend == nullptr) {
        return gpt2_fail(GPT2_ERR_BACKEND, "%s: cannot start backend %s", fn, m.backend_name.c_str());
    }
    s->params.n_threads = 0;
    if (!set_threads(s, p.n_threads)) {
        return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: cannot start %d compute threads", fn, p.n_threads);
    }

    // the KV cache: K as rows [E, n_cells], V transposed [n_cells, E] (or as rows, like K, for flash
    // attention), zeroed so that masked cells read as 0 (never NaN) in the attention
    const int64_t E = m.hparams.n_embd;
    ggml_init_params kp = { (2 * (size_t) m.hparams.n_layer + 1) * ggml_tensor_overhead(), nullptr, true };
    s->ctx_kv = ggml_init(kp);
    if (s->ctx_kv == nullptr) return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: out of memory", fn);
    for (int il = 0; il < m.hparams.n_layer; il++) {
        s->k_l.push_back(ggml_new_tensor_2d(s->ctx_kv, (ggml_type) p.kv_type, E, p.n_cells));
        s->v_l.push_back(p.flash_attn ? ggml_new_tensor_2d(s->ctx_kv, (ggml_type) p.kv_type, E, p.n_cells)
                                      : ggml_new_tensor_2d(s->ctx_kv, (ggml_type) p.kv_type, p.n_cells, E));
    }
    if (p.flash_attn) s->attn_out = ggml_new_tensor_2d(s->ctx_kv, GGML_TYPE_F32, E, p.n_batch);
    s->buf_kv = ggml_backend_alloc_ctx_tensors_from_buft(s->ctx_kv, ggml_backend_get_default_buffer_type(s->backend));
    if (s->buf_kv == nullptr) {
        return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: cannot allocate the KV cache (%d cells x %d layers)", fn, p.n_cells,
                         m.hparams.n_layer);
    }
    ggml_backend_buffer_clear(s->buf_kv, 0);
    s->kv.init(p.n_cells, p.n_seq_max);

    // plan the compute memory once, for a full batch over the full cache with one output per
    // sequence (a batch asking for more outputs grows it once)
    s->galloc = ggml_gallocr_new(ggml_backend_get_default_buffer_type(s->backend));
    size_ubatch(s, p.n_batch, p.n_cells, std::min(p.n_batch, p.n_seq_max));
    size_graph_mem(s);
    gpt2_graph_io io = gpt2_build_graph(s);
    if (!ggml_gallocr_reserve(s->galloc, io.gf)) {
        return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: cannot allocate compute memory for n_batch %d, n_cells %d", fn,
                         p.n_batch, p.n_cells);
    }
    s->logits.reserve((size_t) p.n_seq_max * m.hparams.n_vocab);
    GPT2_LOG_I("%s: %d cells (%s), %d sequences, n_batch %d, %s matmul, %.1f MiB KV, %.1f MiB compute", fn, p.n_cells,
               ggml_type_name((ggml_type) p.kv_type), p.n_seq_max, p.n_batch,
               p.matmul == GPT2_MATMUL_LIBGPT2 ? gpt2_isa_name(gpt2_isa_best()) : "ggml",
               ggml_backend_buffer_get_size(s->buf_kv) / 1048576.0, ggml_gallocr_get_buffer_size(s->galloc, 0) / 1048576.0);
    return GPT2_OK;
}

bool valid_seq(const gpt2_session * s, int32_t seq) {
    return seq >= 0 && seq < s->params.n_seq_max;
}

// Copies the captured tensors of the graph just computed to host memory.
void read_captures(gpt2_session * s, const gpt2_graph_io & io) {
    const gpt2_ubatch & ub = s->ub;
    s->cap_n_tokens = ub.n_tokens;
    s->cap_n_kv     = ub.n_kv;
    s->cap_n_keys   = 1 + *std::max_element(ub.pos.begin(), ub.pos.begin() + ub.n_tokens);
    s->cap_pos.assign(ub.pos.begin(), ub.pos.begin() + ub.n_tokens);
    s->cap_cell_pos.resize(ub.n_kv);
    for (int32_t c = 0; c < ub.n_kv; c++) s->cap_cell_pos[c] = s->kv.cells[c].pos;
    s->cap_mask.assign(ub.mask.begin(), ub.mask.begin() + (size_t) ub.n_kv * ub.n_tokens);
    s->cap_attn.resize(io.attn.size());
    for (size_t il = 0; il < io.attn.size(); il++) {
        s->cap_attn[il].resize(ggml_nelements(io.attn[il]));
        ggml_backend_tensor_get(io.attn[il], s->cap_attn[il].data(), 0, ggml_nbytes(io.attn[il]));
    }
    s->cap_hidden.resize(io.hidden.size());
    for (size_t ih = 0; ih < io.hidden.size(); ih++) {
        s->cap_hidden[ih].resize(ggml_nelements(io.hidden[ih]));
        ggml_backend_tensor_get(io.hidden[ih], s->cap_hidden[ih].data(), 0, ggml_nbytes(io.hidden[ih]));
    }
    s->cap_heads.resize(io.heads.size());
    for (size_t il = 0; il < io.heads.size(); il++) {
        s->cap_heads[il].resize(ggml_nelements(io.heads[il]));
        ggml_backend_tensor_get(io.heads[il], s->cap_heads[il].data(), 0, ggml_nbytes(io.heads[il]));
    }
}

gpt2_status eval(gpt2_session * s, const gpt2_batch & b) {
    const char * fn = "gpt2_eval";
    const gpt2_hparams & hp = s->model->hparams;
    const int32_t T = b.n_tokens;

    // check the batch before anything changes
    if (T < 1 || T > s->params.n_batch) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n_tokens %d is out of range [1, n_batch = %d]", fn, T, s->params.n_batch);
    }
    if (b.tokens == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: tokens is NULL", fn);
    std::vector<int32_t> & next = s->scratch_end;  // next position of each sequence, as the batch proceeds
    next.assign(s->kv.seq_len.begin(), s->kv.seq_len.end());
    int32_t n_out = 0;
    for (int32_t i = 0; i < T; i++) {
        const int32_t tok = b.tokens[i];
        const int32_t seq = b.seq_ids ? b.seq_ids[i] : 0;
        if (tok < 0 || tok >= hp.n_vocab) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: token %d (batch index %d) is out of range [0, %d)", fn, tok, i, hp.n_vocab);
        }
        if (!valid_seq(s, seq)) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: sequence id %d (batch index %d) is out of range [0, %d)", fn, seq, i,
                             s->params.n_seq_max);
        }
        if (next[seq] >= hp.n_ctx_train) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: position %d of sequence %d is past the model's %d positions", fn,
                             next[seq], seq, hp.n_ctx_train);
        }
        next[seq]++;
        if (b.logits && b.logits[i] != 0 && b.logits[i] != 1) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: logits[%d] = %d, expected 0 or 1", fn, i, b.logits[i]);
        }
    }

    // find cells for the batch
    // (with flash attention, each sequence's cells together, from its share of the cache on)
    std::vector<int32_t> & cells = s->scratch_cells;
    std::vector<int32_t> & seq_of = s->scratch_seq;
    seq_of.resize(T);
    for (int32_t i = 0; i < T; i++) seq_of[i] = b.seq_ids ? b.seq_ids[i] : 0;
    const int32_t region = (int32_t) s->kv.cells.size() / s->params.n_seq_max;
    const bool found = s->params.flash_attn && s->params.n_seq_max > 1
                           ? s->kv.find_free_by_region(T, seq_of, region, cells, s->scratch_taken)
                           : s->kv.find_free(T, cells);
    if (!found) {
        return gpt2_fail(GPT2_ERR_KV_FULL, "%s: the KV cache has %d free cells, the batch needs %d", fn,
                         (int32_t) s->kv.cells.size() - s->kv.n_used, T);
    }

    // fill the host inputs and claim the cells (undone if the compute fails); outputs are the
    // flagged tokens, or by default the last token of each sequence in the batch (whose position
    // is its sequence's new length - 1, as counted in `next` above)
    size_ubatch(s, T, 0, T);
    gpt2_ubatch & ub = s->ub;
    std::vector<int32_t> & pos_of = s->scratch_pos;
    pos_of.assign(s->kv.seq_len.begin(), s->kv.seq_len.end());
    for (int32_t i = 0; i < T; i++) {
        const int32_t seq = b.seq_ids ? b.seq_ids[i] : 0;
        ub.tokens[i] = b.tokens[i];
        ub.seq[i]    = seq;
        ub.pos[i]    = pos_of[seq]++;
        ub.k_idx[i]  = cells[i];
        if (b.logits ? b.logits[i] != 0 : ub.pos[i] == next[seq] - 1) ub.out_ids[n_out++] = i;
        s->kv.occupy(cells[i], seq, ub.pos[i]);
    }
    auto rollback = [&] { for (int32_t i = 0; i < T; i++) s->kv.drop(cells[i], ub.seq[i]); };

    const int32_t n_cells = (int32_t) s->kv.cells.size();
    const int32_t n_kv = s->kv.used_end();
    const int64_t E = hp.n_embd;
    if (s->params.flash_attn) {
        // V is written by cell, as K; each sequence's tokens read their span of cells only
        size_ubatch(s, T, 0, n_out);
        build_groups(s, n_kv);
    } else {
        size_ubatch(s, T, n_kv, n_out);
        for (int32_t i = 0; i < T; i++) {
            for (int64_t e = 0; e < E; e++) ub.v_idx[e + E * i] = cells[i] + (int64_t) n_cells * e;
            float * row = ub.mask.data() + (size_t) i * n_kv;
            for (int32_t c = 0; c < n_kv; c++) row[c] = s->kv.visible(c, ub.seq[i], ub.pos[i]) ? 0.0f : -INFINITY;
        }
    }

    // build, allocate and run the graph
    size_graph_mem(s);
    gpt2_graph_io io = gpt2_build_graph(s);
    if (!ggml_gallocr_alloc_graph(s->galloc, io.gf)) {
        rollback();
        return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: cannot allocate compute memory", fn);
    }
    // inputs the graph does not read (out_ids when every token has an output) have no memory
    auto set_input = [](ggml_tensor * t, const void * data) {
        if (t != nullptr && t->buffer != nullptr) ggml_backend_tensor_set(t, data, 0, ggml_nbytes(t));
    };
    set_input(io.inp_tokens, ub.tokens.data());
    set_input(io.inp_pos, ub.pos.data());
    set_input(io.inp_k_idx, ub.k_idx.data());
    set_input(io.inp_v_idx, ub.v_idx.data());
    set_input(io.inp_mask, ub.mask.data());
    set_input(io.inp_out_ids, ub.out_ids.data());
    for (size_t g = 0; g < io.inp_group_idx.size(); g++) {
        set_input(io.inp_group_idx[g], ub.group_tokens.data() + ub.groups[g].first);
        set_input(io.inp_group_mask[g], ub.group_mask.data() + ub.groups[g].mask_off);
    }
    for (const gpt2_graph_io::site & st : io.sites) {
        set_input(st.scale, st.scale_host.data());
        set_input(st.add, st.add_host.data());
    }

    ggml_status st;
    if (ggml_backend_dev_type(s->model->dev) == GGML_BACKEND_DEVICE_TYPE_CPU) {
        // waits while other computes hold the CPUs; may grant fewer threads than asked (cpu-budget.h)
        gpt2_cpu_lease lease(s->params.n_threads);
        const gpt2_cpu_api cpu = gpt2_cpu_api_of(s->backend);
        if (cpu.set_n_threads != nullptr) cpu.set_n_threads(s->backend, lease.granted());
        st = ggml_backend_graph_compute(s->backend, io.gf);
    } else {
        st = ggml_backend_graph_compute(s->backend, io.gf);
    }
    if (st != GGML_STATUS_SUCCESS) {
        rollback();
        return gpt2_fail(GPT2_ERR_BACKEND, "%s: compute failed on %s (ggml status %d)", fn, s->model->backend_name.c_str(), (int) st);
    }

    // publish the outputs
    for (int32_t i = 0; i < T; i++) s->kv.seq_len[ub.seq[i]] = ub.pos[i] + 1;
    s->n_outputs = n_out;
    s->output_index.assign(ub.out_ids.begin(), ub.out_ids.end());
    s->logits.resize((size_t) n_out * hp.n_vocab);
    if (n_out > 0) ggml_backend_tensor_get(io.logits, s->logits.data(), 0, ggml_nbytes(io.logits));
    if (s->params.capture_attention || s->params.capture_hidden) read_captures(s, io);
    return GPT2_OK;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// C API
// ---------------------------------------------------------------------------------------------

gpt2_session * gpt2_session_new(gpt2_model * model, const gpt2_session_params * params) {
    std::unique_ptr<gpt2_session> s;
    gpt2_status st = gpt2_guard(__func__, [&]() -> gpt2_status {
        if (model == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_session_new: model is NULL");
        model->refs.fetch_add(1);
        s = std::make_unique<gpt2_session>();
        s->model = model;
        return create(s.get(), params ? *params : gpt2_session_default_params());
    });
    return st == GPT2_OK ? s.release() : nullptr;
}

void gpt2_session_free(gpt2_session * session) {
    delete session;
}

gpt2_session_params gpt2_session_get_params(const gpt2_session * s) {
    return s ? s->params : gpt2_session_default_params();
}

gpt2_status gpt2_session_set_threads(gpt2_session * s, int32_t n_threads) {
    if (s == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_session_set_threads: session is NULL");
    if (n_threads > GGML_MAX_N_THREADS) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_session_set_threads: n_threads %d is out of range [1, %d]", n_threads,
                         GGML_MAX_N_THREADS);
    }
    if (!set_threads(s, n_threads)) {
        return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "gpt2_session_set_threads: cannot start %d threads", n_threads);
    }
    return GPT2_OK;
}

gpt2_status gpt2_eval(gpt2_session * s, const gpt2_batch * batch) {
    if (s == nullptr || batch == nullptr) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_eval: %s is NULL", s == nullptr ? "session" : "batch");
    }
    return gpt2_guard(__func__, [&] { return eval(s, *batch); });
}

int32_t gpt2_n_outputs(const gpt2_session * s) {
    return s ? s->n_outputs : GPT2_ERR_INVALID_ARG;
}

const float * gpt2_get_logits(const gpt2_session * s) {
    return s && s->n_outputs > 0 ? s->logits.data() : nullptr;
}

int32_t gpt2_output_token_index(const gpt2_session * s, int32_t i) {
    return s && i >= 0 && i < s->n_outputs ? s->output_index[i] : -1;
}

int32_t gpt2_seq_length(const gpt2_session * s, int32_t seq) {
    if (s == nullptr || !valid_seq(s, seq)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_seq_length: sequence id %d is out of range", seq);
    }
    return s->kv.seq_len[seq];
}

gpt2_status gpt2_seq_copy(gpt2_session * s, int32_t src, int32_t dst) {
    if (s == nullptr || !valid_seq(s, src) || !valid_seq(s, dst)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_seq_copy: sequence ids %d -> %d: out of range", src, dst);
    }
    s->kv.copy(src, dst);
    return GPT2_OK;
}

gpt2_status gpt2_seq_clear(gpt2_session * s, int32_t seq) {
    if (s == nullptr || (seq != -1 && !valid_seq(s, seq))) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_seq_clear: sequence id %d is out of range", seq);
    }
    for (int32_t q = 0; q < s->params.n_seq_max; q++) {
        if (seq == -1 || seq == q) s->kv.clear(q);
    }
    return GPT2_OK;
}

gpt2_status gpt2_seq_truncate(gpt2_session * s, int32_t seq, int32_t n_keep) {
    if (s == nullptr || !valid_seq(s, seq)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_seq_truncate: sequence id %d is out of range", seq);
    }
    if (n_keep < 0 || n_keep > s->kv.seq_len[seq]) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_seq_truncate: n_keep %d is out of range [0, %d]", n_keep, s->kv.seq_len[seq]);
    }
    s->kv.truncate(seq, n_keep);
    return GPT2_OK;
}

int32_t gpt2_kv_used_cells(const gpt2_session * s) {
    return s ? s->kv.n_used : GPT2_ERR_INVALID_ARG;
}

int32_t gpt2_attention_n_keys(const gpt2_session * s) {
    if (s == nullptr || !s->params.capture_attention || s->cap_n_tokens == 0) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "gpt2_attention_n_keys: no attention captured");
    }
    return s->cap_n_keys;
}

int64_t gpt2_get_attention(const gpt2_session * s, int32_t il, float * dst, int64_t cap) {
    const char * fn = "gpt2_get_attention";
    if (s == nullptr || !s->params.capture_attention || s->cap_n_tokens == 0) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: no attention captured (capture_attention is off, or no eval yet)", fn);
    }
    if (il < 0 || il >= s->model->hparams.n_layer) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: layer %d is out of range", fn, il);
    }
    const int64_t H = s->model->hparams.n_head, T = s->cap_n_tokens, K = s->cap_n_kv, P = s->cap_n_keys;
    const int64_t need = H * T * P;
    if (dst == nullptr) return need;
    if (cap < need) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: cap %" PRId64 " < %" PRId64 " floats needed", fn, cap, need);
    // probs[h][t][cell] -> dst[h][t][position of the cell in t's sequence]
    std::fill(dst, dst + need, 0.0f);
    const float * probs = s->cap_attn[il].data();
    for (int64_t h = 0; h < H; h++) {
        for (int64_t t = 0; t < T; t++) {
            const float * row  = probs + (h * T + t) * K;
            const float * mask = s->cap_mask.data() + t * K;
            float       * out  = dst + (h * T + t) * P;
            for (int64_t c = 0; c < K; c++) {
                if (mask[c] == 0.0f) out[s->cap_cell_pos[c]] = row[c];
            }
        }
    }
    return need;
}

// Whether the last eval captured the hidden states and head outputs (capture_hidden on, and an eval since).
static bool hidden_captured(const gpt2_session * s) {
    return s != nullptr && s->params.capture_hidden && s->cap_n_tokens > 0;
}

// A captured activation to the caller: its size in floats when dst is NULL, else copied into dst (cap floats).
static int64_t copy_capture(const char * fn, const std::vector<float> & v, float * dst, int64_t cap) {
    const int64_t need = (int64_t) v.size();
    if (dst == nullptr) return need;
    if (cap < need) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: cap %" PRId64 " < %" PRId64 " floats needed", fn, cap, need);
    std::copy(v.begin(), v.end(), dst);
    return need;
}

int64_t gpt2_get_hidden(const gpt2_session * s, int32_t ih, float * dst, int64_t cap) {
    const char * fn = "gpt2_get_hidden";
    if (!hidden_captured(s)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: no hidden states captured (capture_hidden is off, or no eval yet)", fn);
    }
    if (ih < 0 || ih >= (int32_t) s->cap_hidden.size()) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: index %d is out of range [0, %d]", fn, ih, s->model->hparams.n_layer + 1);
    }
    return copy_capture(fn, s->cap_hidden[ih], dst, cap);
}

int64_t gpt2_get_head_outputs(const gpt2_session * s, int32_t il, float * dst, int64_t cap) {
    const char * fn = "gpt2_get_head_outputs";
    if (!hidden_captured(s)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: no head outputs captured (capture_hidden is off, or no eval yet)", fn);
    }
    if (il < 0 || il >= (int32_t) s->cap_heads.size()) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: layer %d is out of range [0, %d)", fn, il, s->model->hparams.n_layer);
    }
    return copy_capture(fn, s->cap_heads[il], dst, cap);
}

gpt2_status gpt2_session_set_interventions(gpt2_session * s, const gpt2_intervention * list, int32_t n) {
    const char * fn = "gpt2_session_set_interventions";
    if (s == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: session is NULL", fn);
    if (n < 0 || n > GPT2_MAX_INTERVENTIONS) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n %d is out of range [0, %d]", fn, n, GPT2_MAX_INTERVENTIONS);
    }
    if (list == nullptr && n > 0) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: list is NULL with n = %d", fn, n);
    const gpt2_hparams & hp = s->model->hparams;
    std::vector<gpt2_held_intervention> held;
    return gpt2_guard(fn, [&]() -> gpt2_status {
        held.reserve((size_t) n);
        for (int32_t i = 0; i < n; i++) {
            const gpt2_intervention & iv = list[i];
            const bool head = iv.site == GPT2_SITE_HEAD;
            if (!head && iv.site != GPT2_SITE_RESIDUAL) {
                return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: list[%d].site %d is not a gpt2_site", fn, i, iv.site);
            }
            const int32_t max_layer = head ? hp.n_layer - 1 : hp.n_layer;
            if (iv.layer < 0 || iv.layer > max_layer) {
                return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: list[%d].layer %d is out of range [0, %d] for %s", fn, i, iv.layer,
                                 max_layer, head ? "GPT2_SITE_HEAD" : "GPT2_SITE_RESIDUAL");
            }
            if (head ? iv.head < 0 || iv.head >= hp.n_head : iv.head != -1) {
                return head ? gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: list[%d].head %d is out of range [0, %d)", fn, i, iv.head, hp.n_head)
                            : gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: list[%d].head must be -1 for GPT2_SITE_RESIDUAL, was %d", fn, i,
                                        iv.head);
            }
            if (iv.pos < -1 || iv.pos >= hp.n_ctx_train) {
                return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: list[%d].pos %d is out of range [-1, %d)", fn, i, iv.pos, hp.n_ctx_train);
            }
            if (!std::isfinite(iv.scale)) {
                return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: list[%d].scale is not finite", fn, i);
            }
            gpt2_held_intervention h{ iv, {} };
            h.iv.values = nullptr;
            if (iv.values != nullptr) {
                const int32_t count = head ? hp.n_embd / hp.n_head : hp.n_embd;
                h.values.assign(iv.values, iv.values + count);
                for (int32_t e = 0; e < count; e++) {
                    if (!std::isfinite(h.values[e])) {
                        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: list[%d].values[%d] is not finite", fn, i, e);
                    }
                }
            }
            held.push_back(std::move(h));
        }
        s->interventions = std::move(held);
        return GPT2_OK;
    });
}

gpt2_status gpt2_session_set_adapters(gpt2_session * s, gpt2_adapter * const * adapters, const float * scales, int32_t n) {
    const char * fn = "gpt2_session_set_adapters";
    if (s == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: session is NULL", fn);
    if (n < 0 || n > GPT2_MAX_ADAPTERS) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: n %d is out of range [0, %d]", fn, n, GPT2_MAX_ADAPTERS);
    }
    if (n > 0 && (adapters == nullptr || scales == nullptr)) {
        return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: %s is NULL with n = %d", fn, adapters == nullptr ? "adapters" : "scales", n);
    }
    for (int32_t i = 0; i < n; i++) {
        const gpt2_adapter * a = adapters[i];
        if (a == nullptr) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: adapters[%d] is NULL", fn, i);
        if (a->model != s->model) {
            return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: adapters[%d] (%s) was loaded for another model than the session's", fn, i,
                             a->path.c_str());
        }
        for (int32_t j = 0; j < i; j++) {
            if (adapters[j] == a) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: adapters[%d] is adapters[%d] again", fn, i, j);
        }
        if (!std::isfinite(scales[i])) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: scales[%d] is not finite", fn, i);
    }
    return gpt2_guard(fn, [&]() -> gpt2_status {
        std::vector<std::pair<gpt2_adapter *, float>> next;
        next.reserve((size_t) n);
        for (int32_t i = 0; i < n; i++) {
            adapters[i]->refs.fetch_add(1);
            next.emplace_back(adapters[i], scales[i]);
        }
        std::swap(s->adapters, next);
        for (const auto & [a, scale] : next) gpt2_adapter_release(a);
        return GPT2_OK;
    });
}
