// kv-cache.h: the bookkeeping of a session's KV cache: which cell holds which position of which
// sequences. The keys and values themselves are ggml tensors owned by the session.
//
// A cell holds the key and value of one token at one position and may belong to several
// sequences at once: copying a sequence shares its cells, so beams forked from one prompt cost
// nothing until they diverge. A cell that belongs to no sequence is free.
#pragma once

#include <bitset>
#include <cstdint>
#include <vector>

#define GPT2_MAX_SEQ 256

struct gpt2_kv_cell {
    int32_t                   pos = -1;
    std::bitset<GPT2_MAX_SEQ> seqs;

    bool free() const { return seqs.none(); }
};

struct gpt2_kv_cache {
    std::vector<gpt2_kv_cell> cells;
    std::vector<int32_t>      seq_len;   // next position of each sequence
    int32_t                   n_used = 0;

    void init(int32_t n_cells, int32_t n_seq) {
        cells.assign((size_t) n_cells, gpt2_kv_cell());
        seq_len.assign((size_t) n_seq, 0);
        n_used = 0;
    }

    // Index past the last cell in use: the attention reads cells [0, used_end()).
    int32_t used_end() const {
        for (int32_t i = (int32_t) cells.size(); i > 0; i--) {
            if (!cells[i - 1].free()) return i;
        }
        return 0;
    }

    // Finds n free cells, lowest first, into out. False (out unchanged) if there are fewer.
    bool find_free(int32_t n, std::vector<int32_t> & out) const {
        if ((int32_t) cells.size() - n_used < n) return false;
        out.clear();
        for (int32_t i = 0; i < (int32_t) cells.size() && (int32_t) out.size() < n; i++) {
            if (cells[i].free()) out.push_back(i);
        }
        return (int32_t) out.size() == n;
    }

    // As find_free, but token i (of sequence seq[i]) gets the first free cell from cell seq[i] * region on
    // (wrapping around), so that a sequence's cells stay together and the flash attention, which reads each
    // sequence's span of cells, reads few. taken: scratch, one byte per cell.
    bool find_free_by_region(int32_t n, const std::vector<int32_t> & seq, int32_t region, std::vector<int32_t> & out,
                             std::vector<uint8_t> & taken) const {
        const int32_t n_cells = (int32_t) cells.size();
        if (n_cells - n_used < n) return false;
        taken.assign((size_t) n_cells, 0);
        out.clear();
        for (int32_t i = 0; i < n; i++) {
            const int32_t start = (int32_t) (((int64_t) seq[i] * region) % n_cells);
            int32_t c = start;
            while (!cells[c].free() || taken[c]) {
                c = c + 1 == n_cells ? 0 : c + 1;
                if (c == start) return false;
            }
            taken[c] = 1;
            out.push_back(c);
        }
        return true;
    }

    void occupy(int32_t cell, int32_t seq, int32_t pos) {
        if (cells[cell].free()) n_used++;
        cells[cell].pos = pos;
        cells[cell].seqs.set((size_t) seq);
    }

    void drop(int32_t cell, int32_t seq) {
        gpt2_kv_cell & c = cells[cell];
        if (!c.seqs.test((size_t) seq)) return;
        c.seqs.reset((size_t) seq);
        if (c.free()) {
            c.pos = -1;
            n_used--;
        }
    }

    // Drops positions >= n_keep of seq.
    void truncate(int32_t seq, int32_t n_keep) {
        for (int32_t i = 0; i < (int32_t) cells.size(); i++) {
            if (cells[i].pos >= n_keep) drop(i, seq);
        }
        if (seq_len[seq] > n_keep) seq_len[seq] = n_keep;
    }

    void clear(int32_t seq) { truncate(seq, 0); }

    void copy(int32_t src, int32_t dst) {
        if (src == dst) return;
        clear(dst);
        for (int32_t i = 0; i < (int32_t) cells.size(); i++) {
            if (cells[i].seqs.test((size_t) src)) occupy(i, dst, cells[i].pos);
        }
        seq_len[dst] = seq_len[src];
    }

    // Whether a query of seq at position pos attends to cell i.
    bool visible(int32_t i, int32_t seq, int32_t pos) const {
        return cells[i].seqs.test((size_t) seq) && cells[i].pos <= pos;
    }
};
