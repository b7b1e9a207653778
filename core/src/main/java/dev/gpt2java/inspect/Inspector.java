package dev.gpt2java.inspect;

import dev.gpt2java.Batch;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.TensorType;
import dev.gpt2java.sampling.Logits;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Looks inside one forward pass: {@link #trace} runs a prompt once and keeps the attention
 * probabilities, the hidden states, the next-token distribution and the logit lens.
 *
 * <pre>{@code
 * Trace t = Inspector.trace(model, model.tokenizer().encode("The capital of France is"), 5);
 * t.nextToken().pieces();          // the 5 most probable next tokens
 * t.lens(3, t.length() - 1).top(); // what block 3's output at the last position would predict
 * }</pre>
 */
public final class Inspector {

    /** Most floats one {@link Gpt2Model#unembed} call returns (64 MiB). */
    private static final long UNEMBED_CHUNK_FLOATS = 1L << 24;

    private Inspector() {
    }

    /**
     * One forward pass over {@code tokens} in a fresh session (F32 KV cache, attention and hidden-state
     * capture, logits at every position), and the logit lens: {@code unembed(hidden(i), true)} for the
     * embeddings (i = 0) and each block's output (i = 1..nLayer), reduced to the top {@code topK}
     * tokens per position with a double-precision softmax.
     *
     * @param tokens 1..nCtxTrain token ids
     * @param topK   tokens kept per distribution, 1..nVocab
     * @throws IllegalArgumentException for no or too many tokens, an id out of range, or topK out of range
     */
    public static Trace trace(Gpt2Model model, int[] tokens, int topK) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokens, "tokens");
        int n = tokens.length;
        if (n == 0 || n > model.nCtxTrain()) {
            throw new IllegalArgumentException("a trace takes 1.." + model.nCtxTrain() + " tokens (nCtxTrain), got " + n);
        }
        int nVocab = model.nVocab();
        for (int t : tokens) {
            if (t < 0 || t >= nVocab) {
                throw new IllegalArgumentException("token id " + t + " out of range 0.." + (nVocab - 1));
            }
        }
        if (topK < 1 || topK > nVocab) {
            throw new IllegalArgumentException("topK must be in 1.." + nVocab + ", was " + topK);
        }
        int nLayer = model.nLayer();
        Gpt2Tokenizer tok = model.tokenizer();
        tokens = tokens.clone();

        float[][][][] attention = new float[nLayer][][][];
        float[][][] hidden = new float[nLayer + 2][][];
        float[] lastLogits;
        SessionParams sp = SessionParams.defaults().withNCells(n).withNBatch(n).withKvType(TensorType.F32)
                .withCaptureAttention(true).withCaptureHidden(true);
        try (Session s = model.newSession(sp)) {
            int rows = s.eval(Batch.builder().addAllLogits(0, tokens).build());
            if (rows != n) {
                throw new IllegalStateException("eval gave " + rows + " logit rows for " + n + " tokens");
            }
            lastLogits = s.logits(n - 1);
            for (int l = 0; l < nLayer; l++) {
                attention[l] = trimKeys(s.attention(l), n);
            }
            for (int i = 0; i < nLayer + 2; i++) {
                hidden[i] = s.hidden(i);
            }
        }

        int[] nextIds = Logits.topK(lastLogits, topK);
        TopTokens next = new TopTokens(nextIds, pieces(tok, nextIds), Dist.softmaxAt(lastLogits, nextIds));

        List<LensEntry> lens = new ArrayList<>((nLayer + 1) * n);
        int chunk = (int) Math.max(1, Math.min(n, UNEMBED_CHUNK_FLOATS / nVocab));
        for (int layer = 0; layer <= nLayer; layer++) {
            for (int p0 = 0; p0 < n; p0 += chunk) {
                int m = Math.min(chunk, n - p0);
                float[][] logits = model.unembed(Arrays.copyOfRange(hidden[layer], p0, p0 + m), true);
                for (int j = 0; j < m; j++) {
                    int[] ids = Logits.topK(logits[j], topK);
                    TopTokens top = new TopTokens(ids, pieces(tok, ids), Dist.softmaxAt(logits[j], ids));
                    lens.add(new LensEntry(layer, p0 + j, top));
                }
            }
        }
        return new Trace(tokens, tok.pieces(tokens), next, attention, hidden, lens);
    }

    /** The text of each token on its own. */
    static List<String> pieces(Gpt2Tokenizer tok, int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(tok.pieces(new int[] {id}).get(0));
        }
        return out;
    }

    /** [head][query][key] with exactly n keys (the session may report more key slots than tokens). */
    private static float[][][] trimKeys(float[][][] a, int n) {
        for (float[][] head : a) {
            if (head.length != n) {
                throw new IllegalStateException("attention has " + head.length + " queries for " + n + " tokens");
            }
            for (int q = 0; q < n; q++) {
                if (head[q].length != n) {
                    head[q] = Arrays.copyOf(head[q], n);
                }
            }
        }
        return a;
    }
}
