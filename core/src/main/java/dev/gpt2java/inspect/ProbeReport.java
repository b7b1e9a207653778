package dev.gpt2java.inspect;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Probe} found, layer by layer.
 *
 * @param kind     ridge (scores are R²) or logistic (scores are accuracies)
 * @param rows     labelled texts read
 * @param classes  the classes of a logistic probe, sorted (numerically when all are numbers); empty for ridge
 * @param baseline what a probe that reads nothing scores: for logistic the share of the largest class, for ridge 0
 *                 (the R² of predicting the mean)
 * @param layers   one entry per layer probed
 * @param params   the parameters used (layers and kind resolved)
 */
public record ProbeReport(Probe.Kind kind, int rows, List<String> classes, double baseline, List<Layer> layers,
                          ProbeParams params) {

    /**
     * One layer's probe.
     *
     * @param layer        hidden-state index: 0 the embeddings, 1..nLayer the output of that block
     * @param score        mean over the held-out folds of R² or accuracy
     * @param std          its sample standard deviation across folds
     * @param control      the same for the shuffled labels
     * @param controlStd   its standard deviation
     * @param lambda       the median over folds of the λ the inner cross-validation chose (geometric mean of the two
     *                     middle ones for an even number of folds)
     * @param foldScores   the score of each held-out fold
     */
    public record Layer(int layer, double score, double std, double control, double controlStd, double lambda,
                        double[] foldScores) {
        public Layer {
            foldScores = foldScores.clone();
        }

        @Override
        public double[] foldScores() {
            return foldScores.clone();
        }
    }

    public ProbeReport {
        Objects.requireNonNull(kind, "kind");
        classes = List.copyOf(classes);
        layers = List.copyOf(layers);
        Objects.requireNonNull(params, "params");
    }

    /** "R²" or "accuracy". */
    public String metric() {
        return kind == Probe.Kind.RIDGE ? "R²" : "accuracy";
    }
}
