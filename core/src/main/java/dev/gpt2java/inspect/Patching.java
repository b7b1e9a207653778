package dev.gpt2java.inspect;

import dev.gpt2java.Batch;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Intervention;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.TensorType;
import dev.gpt2java.sampling.Logits;

import java.util.List;
import java.util.Objects;

/**
 * The lecture's interventions as experiments: record a run's activations ({@link #record}), build
 * ablations and patches from them ({@link Activations#headMean}, {@link Activations#head},
 * {@link Activations#residual}), and measure what they do to the next token ({@link #nextToken}).
 *
 * <pre>{@code
 * int[] clean = tok.encode("The Eiffel Tower is in"), corrupt = tok.encode("The Colosseum is in");
 * Patching.Activations src = Patching.record(model, clean);
 * Patching.Change c = Patching.nextToken(model, corrupt, List.of(
 *         Intervention.patchResidual(3, corrupt.length - 1, src.residual(3, clean.length - 1))), 10);
 * c.logProbAfter(id) - c.logProbBefore(id);   // what block 2's output at the last token carries
 * }</pre>
 */
public final class Patching {

    private Patching() {
    }

    /**
     * One run's activations: the residual stream at each point of {@link Session#hidden} 0..nLayer
     * ({@code [point][position][embd]}) and each block's heads' outputs ({@code [layer][position][embd]}).
     */
    public record Activations(int[] tokens, float[][][] residual, float[][][] heads, int nHead) {

        public Activations {
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(residual, "residual");
            Objects.requireNonNull(heads, "heads");
        }

        /** The residual stream at {@code point} (0..nLayer) and {@code position}: nEmbd values, a copy. */
        public float[] residual(int point, int position) {
            return residual[point][position].clone();
        }

        /** Head {@code head} of block {@code layer} at {@code position}: nEmbd/nHead values, a copy. */
        public float[] head(int layer, int head, int position) {
            int d = heads[layer][position].length / nHead;
            return java.util.Arrays.copyOfRange(heads[layer][position], head * d, (head + 1) * d);
        }

        /** Head {@code head} of block {@code layer}, averaged over every position of the run. */
        public float[] headMean(int layer, int head) {
            int d = heads[layer][0].length / nHead;
            double[] sum = new double[d];
            for (float[] row : heads[layer]) {
                for (int e = 0; e < d; e++) {
                    sum[e] += row[head * d + e];
                }
            }
            float[] mean = new float[d];
            for (int e = 0; e < d; e++) {
                mean[e] = (float) (sum[e] / heads[layer].length);
            }
            return mean;
        }
    }

    /**
     * The next-token distribution at a prompt's last position, without and with interventions: natural
     * log-probabilities over the whole vocabulary, and the {@code topK} most probable tokens after.
     */
    public record Change(double[] logProbsBefore, double[] logProbsAfter, int[] topAfter) {

        public Change {
            Objects.requireNonNull(logProbsBefore, "logProbsBefore");
            Objects.requireNonNull(logProbsAfter, "logProbsAfter");
            Objects.requireNonNull(topAfter, "topAfter");
            if (logProbsBefore.length != logProbsAfter.length) {
                throw new IllegalArgumentException("before and after differ in length");
            }
        }

        public double logProbBefore(int id) {
            return logProbsBefore[id];
        }

        public double logProbAfter(int id) {
            return logProbsAfter[id];
        }

        /** KL(after || before) in nats: how far the interventions moved the distribution. */
        public double klAfterFromBefore() {
            double kl = 0;
            for (int i = 0; i < logProbsAfter.length; i++) {
                double p = Math.exp(logProbsAfter[i]);
                if (p > 0) {
                    kl += p * (logProbsAfter[i] - logProbsBefore[i]);
                }
            }
            return Math.max(0, kl);
        }

        /** The most probable token before the interventions. */
        public int topBefore() {
            int best = 0;
            for (int i = 1; i < logProbsBefore.length; i++) {
                if (logProbsBefore[i] > logProbsBefore[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    private static void checkTokens(Gpt2Model model, int[] tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.length == 0 || tokens.length > model.nCtxTrain()) {
            throw new IllegalArgumentException("a run takes 1.." + model.nCtxTrain() + " tokens, got " + tokens.length);
        }
        for (int t : tokens) {
            if (t < 0 || t >= model.nVocab()) {
                throw new IllegalArgumentException("token id " + t + " out of range 0.." + (model.nVocab() - 1));
            }
        }
    }

    private static Session session(Gpt2Model model, int n) {
        return model.newSession(SessionParams.defaults().withNCells(n).withNBatch(n).withKvType(TensorType.F32)
                .withCaptureHidden(true));
    }

    /** Runs {@code tokens} once in a fresh session and keeps every activation an intervention acts on. */
    public static Activations record(Gpt2Model model, int[] tokens) {
        Objects.requireNonNull(model, "model");
        checkTokens(model, tokens);
        int nLayer = model.nLayer();
        try (Session s = session(model, tokens.length)) {
            s.eval(Batch.builder().addAllLogits(0, tokens).build());
            float[][][] residual = new float[nLayer + 1][][];
            float[][][] heads = new float[nLayer][][];
            for (int i = 0; i <= nLayer; i++) {
                residual[i] = s.hidden(i);
            }
            for (int l = 0; l < nLayer; l++) {
                heads[l] = s.headOutputs(l);
            }
            return new Activations(tokens.clone(), residual, heads, model.nHead());
        }
    }

    /**
     * The next-token distribution after {@code tokens}, without and with {@code interventions} (checked
     * as {@link Session#setInterventions} checks them).
     *
     * @param topK tokens listed in {@link Change#topAfter}, 1..nVocab
     */
    public static Change nextToken(Gpt2Model model, int[] tokens, List<Intervention> interventions, int topK) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(interventions, "interventions");
        checkTokens(model, tokens);
        if (topK < 1 || topK > model.nVocab()) {
            throw new IllegalArgumentException("topK must be in 1.." + model.nVocab() + ", was " + topK);
        }
        try (Session s = session(model, tokens.length)) {
            double[] before = Logits.logSoftmax(s.eval(0, tokens));
            s.seqClear(0);
            s.setInterventions(interventions);
            float[] after = s.eval(0, tokens);
            return new Change(before, Logits.logSoftmax(after), Logits.topK(after, topK));
        }
    }
}
