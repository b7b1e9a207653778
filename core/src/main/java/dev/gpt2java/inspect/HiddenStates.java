package dev.gpt2java.inspect;

import dev.gpt2java.Batch;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.TensorType;

import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The residual stream of many texts at one position: each text runs once (in one session, cleared between
 * texts: F32 KV cache, hidden-state capture) and the hidden states at the chosen layers are kept at the
 * chosen position. What a probe reads ({@link Probe}).
 */
public final class HiddenStates {

    private HiddenStates() {
    }

    /**
     * {@code [layer][text][nEmbd]}: for each hidden-state index of {@code layers} (0 the input embeddings
     * wte + wpe, 1..nLayer the output of that block, as {@link Trace#hidden()}) the state of each text at
     * {@code position}.
     *
     * @param layers     hidden-state indices, each in 0..nLayer
     * @param position   token position: 0.. from the start, -1 the last token, -2 the one before, ...
     * @param prependBos whether each text is read after the model's beginning-of-sequence token (positions
     *                   then count it)
     * @param progress   told the number of texts done after each, or null
     * @throws IllegalArgumentException for a layer out of range, or a text (named by its row, from 1) that has
     *                                  no tokens, more than nCtxTrain, or no token at {@code position}
     */
    public static float[][][] extract(Gpt2Model model, List<String> texts, int[] layers, int position, boolean prependBos,
                                      IntConsumer progress) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(layers, "layers");
        int nLayer = model.nLayer(), nCtx = model.nCtxTrain();
        if (layers.length == 0) {
            throw new IllegalArgumentException("layers must name at least one layer");
        }
        for (int l : layers) {
            if (l < 0 || l > nLayer) {
                throw new IllegalArgumentException("layers must be in 0.." + nLayer + " (0: the embeddings), was " + l);
            }
        }
        if (prependBos && model.bosToken() < 0) {
            throw new IllegalArgumentException("prependBos: the model names no beginning-of-sequence token");
        }
        float[][][] out = new float[layers.length][texts.size()][];
        SessionParams sp = SessionParams.defaults().withNCells(nCtx).withNBatch(nCtx).withKvType(TensorType.F32)
                .withCaptureHidden(true);
        try (Session s = model.newSession(sp)) {
            for (int i = 0; i < texts.size(); i++) {
                int[] ids = model.tokenizer().encode(Objects.requireNonNull(texts.get(i), "text"));
                if (prependBos) {
                    int[] b = new int[ids.length + 1];
                    b[0] = model.bosToken();
                    System.arraycopy(ids, 0, b, 1, ids.length);
                    ids = b;
                }
                String row = "row " + (i + 1);
                if (ids.length == 0) {
                    throw new IllegalArgumentException(row + ": the text has no tokens");
                }
                if (ids.length > nCtx) {
                    throw new IllegalArgumentException(row + ": " + ids.length + " tokens, more than the model's "
                            + nCtx + " (nCtxTrain)");
                }
                int p = position < 0 ? ids.length + position : position;
                if (p < 0 || p >= ids.length) {
                    throw new IllegalArgumentException("position " + position + " is not in the " + ids.length
                            + " tokens of " + row);
                }
                s.clearAll();
                s.eval(Batch.of(0, ids));
                for (int l = 0; l < layers.length; l++) {
                    out[l][i] = s.hidden(layers[l])[p];
                }
                if (progress != null) {
                    progress.accept(i + 1);
                }
            }
        }
        return out;
    }
}
