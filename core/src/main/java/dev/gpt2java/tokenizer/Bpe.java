package dev.gpt2java.tokenizer;

import java.util.Arrays;

/**
 * Byte-pair encoding of one pre-tokenized piece: start from one token per byte, then merge, again
 * and again, the adjacent pair whose merge comes first in the merge list (the leftmost pair on a
 * tie), until no adjacent pair has a merge. Immutable; safe for any number of threads.
 *
 * <p>This is the order of Hugging Face's tokenizers and tiktoken. OpenAI's {@code encoder.py} merges
 * every occurrence of the best pair in one pass; the two agree whenever no merge ranks before the
 * merge that makes one of its parts, which holds for GPT-2's merges (and for any merge list that a
 * BPE trainer writes).
 */
final class Bpe {

    private static final int NONE = Integer.MAX_VALUE;
    /**
     * Up to this many bytes a piece takes the quadratic scan, beyond it the heap. Measured on GPT-2
     * (random letters): the scan is about twice as fast at 16 to 64 bytes and even at about 256.
     */
    static final int SCAN_MAX = 64;

    /** The token of each byte value. */
    private final int[] byteToken;
    /** The token that merge {@code r} makes. */
    private final int[] mergeResult;

    // open addressing, pair (left, right) -> rank of its merge
    private final long[] keys;
    private final int[] ranks;
    private final int mask;

    /**
     * @param byteToken the token of each of the 256 byte values
     * @param left      left token of each merge, in rank order
     * @param right     right token of each merge
     * @param result    token each merge makes
     */
    Bpe(int[] byteToken, int[] left, int[] right, int[] result) {
        this.byteToken = byteToken.clone();
        this.mergeResult = result.clone();
        int cap = Integer.highestOneBit(Math.max(4, left.length * 2 + 1)) << 1;
        this.keys = new long[cap];
        this.ranks = new int[cap];
        this.mask = cap - 1;
        Arrays.fill(keys, -1L);
        for (int r = 0; r < left.length; r++) {
            long key = pairKey(left[r], right[r]);
            int slot = slot(key);
            while (keys[slot] != -1L) {
                if (keys[slot] == key) {
                    throw new IllegalArgumentException("merge " + r + " repeats merge " + ranks[slot]);
                }
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            ranks[slot] = r;
        }
    }

    private static long pairKey(int left, int right) {
        return (long) left << 32 | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 32) & mask;
    }

    /** The rank of the merge of {@code left right}, or {@link #NONE}. */
    int rank(int left, int right) {
        long key = pairKey(left, right);
        int slot = slot(key);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return ranks[slot];
            }
            if (k == -1L) {
                return NONE;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The tokens of {@code bytes[0, n)} (n &gt; 0). */
    int[] encode(byte[] bytes, int n) {
        return n <= SCAN_MAX ? encodeScan(bytes, n) : encodeHeap(bytes, n);
    }

    /** Quadratic: each step scans all pairs for the best one. For short pieces. */
    int[] encodeScan(byte[] bytes, int n) {
        int[] sym = new int[n];
        for (int i = 0; i < n; i++) {
            sym[i] = byteToken[bytes[i] & 0xff];
        }
        // rank[i]: merge of sym[i], sym[i + 1]
        int[] rank = new int[Math.max(n - 1, 0)];
        for (int i = 0; i < n - 1; i++) {
            rank[i] = rank(sym[i], sym[i + 1]);
        }
        while (n > 1) {
            int best = NONE;
            int at = -1;
            for (int i = 0; i < n - 1; i++) {
                if (rank[i] < best) {
                    best = rank[i];
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            sym[at] = mergeResult[best];
            // drop sym[at + 1] and rank[at + 1]
            System.arraycopy(sym, at + 2, sym, at + 1, n - at - 2);
            if (n - at - 3 > 0) {
                System.arraycopy(rank, at + 2, rank, at + 1, n - at - 3);
            }
            n--;
            if (at < n - 1) {
                rank[at] = rank(sym[at], sym[at + 1]);
            }
            if (at > 0) {
                rank[at - 1] = rank(sym[at - 1], sym[at]);
            }
        }
        return n == sym.length ? sym : Arrays.copyOf(sym, n);
    }

    /**
     * {@code O(n log n)}: a linked list of symbols and a heap of candidate merges, keyed by (rank,
     * position) so that ties go to the leftmost pair; entries made stale by a merge are skipped when
     * popped. For long pieces, where the scan would be quadratic.
     */
    int[] encodeHeap(byte[] bytes, int n) {
        int[] sym = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            sym[i] = byteToken[bytes[i] & 0xff];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i < n - 1; i++) {
            int r = rank(sym[i], sym[i + 1]);
            if (r != NONE) {
                heap.push((long) r << 32 | i);
            }
        }
        int count = n;
        while (!heap.isEmpty()) {
            long e = heap.pop();
            int r = (int) (e >>> 32);
            int i = (int) e;
            int j = next[i];
            if (sym[i] < 0 || j < 0 || rank(sym[i], sym[j]) != r) {
                continue; // stale: a merge has changed this pair since
            }
            sym[i] = mergeResult[r];
            sym[j] = -1;
            int k = next[j];
            next[i] = k;
            if (k >= 0) {
                prev[k] = i;
                int rk = rank(sym[i], sym[k]);
                if (rk != NONE) {
                    heap.push((long) rk << 32 | i);
                }
            }
            int p = prev[i];
            if (p >= 0) {
                int rp = rank(sym[p], sym[i]);
                if (rp != NONE) {
                    heap.push((long) rp << 32 | p);
                }
            }
            count--;
        }
        int[] out = new int[count];
        for (int i = 0, o = 0; i >= 0; i = next[i]) {
            out[o++] = sym[i];
        }
        return out;
    }

    /** A binary min-heap of longs. */
    private static final class LongHeap {
        private long[] a;
        private int size;

        LongHeap(int capacity) {
            a = new long[Math.max(capacity, 4)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (a[parent] <= v) {
                    break;
                }
                a[i] = a[parent];
                i = parent;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long v = a[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int c = 2 * i + 1;
                if (c + 1 < size && a[c + 1] < a[c]) {
                    c++;
                }
                if (v <= a[c]) {
                    break;
                }
                a[i] = a[c];
                i = c;
            }
            a[i] = v;
            return top;
        }
    }
}
