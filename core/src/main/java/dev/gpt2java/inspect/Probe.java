package dev.gpt2java.inspect;

import dev.gpt2java.Gpt2Model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Linear probes on the residual stream (as Gurnee &amp; Tegmark 2024, "Language Models Represent Space and
 * Time"): what a linear map can read from the hidden states, layer by layer. For each layer, a ridge
 * regression (numeric labels, scored by R²) or a logistic regression (class labels, scored by accuracy) is
 * scored by held-out k-fold cross-validation: features standardized on each training part, λ chosen by an
 * inner cross-validation over {@link ProbeParams#lambdas()}, the score the mean over the held-out folds.
 * The control column is the same procedure on the labels shuffled: what a probe finds in noise.
 *
 * <pre>{@code
 * List<LabelledText> rows = LabelledTexts.read(Path.of("verses.csv"), "text", "book");
 * ProbeReport r = Probe.run(model, rows, ProbeParams.defaults(), null);
 * for (ProbeReport.Layer l : r.layers()) System.out.println(l.layer() + " " + l.score() + " " + l.control());
 * }</pre>
 */
public final class Probe {

    /** Which probe. */
    public enum Kind {
        /** Ridge regression on a numeric label, scored by R². */
        RIDGE,
        /** Logistic regression on a class label, scored by accuracy. */
        LOGISTIC
    }

    /** Added to the seed for the shuffled-label control. */
    private static final long CONTROL_SEED = 0x9E3779B97F4A7C15L;

    private Probe() {
    }

    /**
     * Extracts the hidden states of every row's text ({@link HiddenStates#extract}) and fits the probes.
     *
     * @param progress told the number of texts read after each, or null
     * @throws IllegalArgumentException for labels that do not fit the kind (named by row), fewer rows than folds,
     *                                  a layer out of range, or a text that does not fit the model
     */
    public static ProbeReport run(Gpt2Model model, List<LabelledText> rows, ProbeParams params, IntConsumer progress) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(params, "params");
        List<String> labels = rows.stream().map(LabelledText::label).toList();
        Kind kind = kind(labels, params);
        checkLabels(labels, kind, params);
        int[] layers = params.layers() == null ? IntStream.rangeClosed(0, model.nLayer()).toArray() : params.layers();
        for (int l : layers) {
            if (l > model.nLayer()) {
                throw new IllegalArgumentException("layers must be in 0.." + model.nLayer() + " (0: the embeddings), was " + l);
            }
        }
        float[][][] states = HiddenStates.extract(model, rows.stream().map(LabelledText::text).toList(), layers,
                params.position(), params.prependBos(), progress);
        return fit(states, labels, params.withLayers(layers).withKind(kind));
    }

    /**
     * Fits and scores the probes on given features.
     *
     * @param states {@code [layer][row][feature]}, the layers being {@code params.layers()} (which must be set)
     * @param labels one per row
     */
    public static ProbeReport fit(float[][][] states, List<String> labels, ProbeParams params) {
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(params, "params");
        int[] layers = params.layers();
        if (layers == null || layers.length != states.length) {
            throw new IllegalArgumentException("params.layers must name the " + states.length + " layers of states");
        }
        Kind kind = kind(labels, params);
        checkLabels(labels, kind, params);
        int n = labels.size();
        List<String> classes = kind == Kind.LOGISTIC ? CrossValidation.classes(labels) : List.of();
        double[] y = null;
        int[] cls = null;
        double baseline = 0;
        if (kind == Kind.RIDGE) {
            y = labels.stream().mapToDouble(s -> CrossValidation.parse(s)).toArray();
        } else {
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                index.put(classes.get(c), c);
            }
            cls = labels.stream().mapToInt(index::get).toArray();
            int[] counts = new int[classes.size()];
            for (int c : cls) {
                counts[c]++;
            }
            baseline = (double) IntStream.of(counts).max().orElseThrow() / n;
        }
        long seed = params.seed(), cseed = seed + CONTROL_SEED;
        double[] lambdas = params.lambdas();
        int k = params.folds(), ki = params.innerFolds();
        int[] fold = CrossValidation.folds(n, k, seed, cls);
        double[] yc = y == null ? null : CrossValidation.shuffled(y, cseed);
        int[] clsc = cls == null ? null : CrossValidation.shuffled(cls, cseed);
        int[] foldc = CrossValidation.folds(n, k, cseed, clsc);
        List<ProbeReport.Layer> out = new ArrayList<>(layers.length);
        for (int l = 0; l < layers.length; l++) {
            if (states[l].length != n) {
                throw new IllegalArgumentException("states of layer " + layers[l] + " have " + states[l].length + " rows for "
                        + n + " labels");
            }
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) {
                float[] r = states[l][i];
                x[i] = new double[r.length];
                for (int j = 0; j < r.length; j++) {
                    x[i][j] = r[j];
                }
            }
            CrossValidation.Folds probe, control;
            if (kind == Kind.RIDGE) {
                probe = CrossValidation.ridge(x, y, fold, k, lambdas, ki, seed);
                control = CrossValidation.ridge(x, yc, foldc, k, lambdas, ki, cseed);
            } else {
                probe = CrossValidation.logistic(x, cls, classes.size(), fold, k, lambdas, ki, seed);
                control = CrossValidation.logistic(x, clsc, classes.size(), foldc, k, lambdas, ki, cseed);
            }
            out.add(new ProbeReport.Layer(layers[l], probe.mean(), probe.std(), control.mean(), control.std(),
                    probe.medianLambda(), probe.scores()));
        }
        return new ProbeReport(kind, n, classes, baseline, out, params.withKind(kind));
    }

    /** The kind asked for, else ridge when every label is a number, else logistic. */
    static Kind kind(List<String> labels, ProbeParams params) {
        if (params.kind() != null) {
            return params.kind();
        }
        return labels.stream().allMatch(s -> CrossValidation.parse(s) != null) ? Kind.RIDGE : Kind.LOGISTIC;
    }

    private static void checkLabels(List<String> labels, Kind kind, ProbeParams params) {
        int n = labels.size();
        if (n == 0) {
            throw new IllegalArgumentException("rows: there are none");
        }
        if (kind == Kind.RIDGE) {
            for (int i = 0; i < n; i++) {
                if (CrossValidation.parse(labels.get(i)) == null) {
                    throw new IllegalArgumentException("label of row " + (i + 1) + " is not a number: \"" + labels.get(i)
                            + "\" (a ridge probe needs numeric labels)");
                }
            }
        } else if (labels.stream().distinct().count() < 2) {
            throw new IllegalArgumentException("label: a logistic probe needs at least 2 classes, the rows have "
                    + labels.stream().distinct().count());
        }
        if (params.folds() > n) {
            throw new IllegalArgumentException("folds must be at most the number of rows (" + n + "), was " + params.folds());
        }
        int smallestTrain = n - (n + params.folds() - 1) / params.folds();
        if (params.lambdas().length > 1 && params.innerFolds() > smallestTrain) {
            throw new IllegalArgumentException("innerFolds must be at most the rows of the smallest training part ("
                    + smallestTrain + " of " + n + " rows in " + params.folds() + " folds), was " + params.innerFolds());
        }
    }
}
