package dev.gpt2java.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Held-out k-fold cross-validation of the probes: deterministic folds from a seed (stratified by class for
 * classification), standardization fitted on each training part only, λ chosen by an inner
 * cross-validation on the training part, the score on the held-out fold.
 */
final class CrossValidation {

    /** Tolerance of the logistic fits of a probe (largest gradient entry per row). */
    static final double PROBE_GTOL = 1e-5;

    private CrossValidation() {
    }

    /** What each held-out fold gave: its score and the λ the inner cross-validation chose. */
    record Folds(double[] scores, double[] lambdas) {
        double mean() {
            return Arrays.stream(scores).average().orElseThrow();
        }

        /** Sample standard deviation across folds (0 for one fold). */
        double std() {
            if (scores.length < 2) {
                return 0;
            }
            double m = mean(), s = 0;
            for (double v : scores) {
                s += (v - m) * (v - m);
            }
            return Math.sqrt(s / (scores.length - 1));
        }

        double medianLambda() {
            double[] l = lambdas.clone();
            Arrays.sort(l);
            return l.length % 2 == 1 ? l[l.length / 2] : Math.sqrt(l[l.length / 2 - 1] * l[l.length / 2]);
        }
    }

    /**
     * The fold (0..k-1) of each of n rows: the rows in an order shuffled by {@code seed}, dealt out in turn;
     * with {@code strata} (a class per row) each class is dealt in turn, so each fold gets its share of
     * every class.
     */
    static int[] folds(int n, int k, long seed, int[] strata) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("folds must be in 2.." + n + " (the number of rows), was " + k);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            Integer t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        if (strata != null) {
            // stable sort by class keeps the shuffled order within each class
            Arrays.sort(order, (a, b) -> Integer.compare(strata[a], strata[b]));
        }
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[order[i]] = i % k;
        }
        return fold;
    }

    /** The rows of {@code fold}, or of every other fold. */
    static int[] rows(int[] fold, int f, boolean in) {
        return java.util.stream.IntStream.range(0, fold.length).filter(i -> (fold[i] == f) == in).toArray();
    }

    private static double[] pick(double[] v, int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = v[rows[i]];
        }
        return out;
    }

    private static int[] pick(int[] v, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = v[rows[i]];
        }
        return out;
    }

    private static int[] compose(int[] outer, int[] inner) {
        int[] out = new int[inner.length];
        for (int i = 0; i < inner.length; i++) {
            out[i] = outer[inner[i]];
        }
        return out;
    }

    // ---- ridge

    /** R² on each held-out fold of {@code fold} (k folds), λ from {@code lambdas} by {@code innerK}-fold inner CV. */
    static Folds ridge(double[][] x, double[] y, int[] fold, int k, double[] lambdas, int innerK, long seed) {
        double[] scores = new double[k], chosen = new double[k];
        for (int f = 0; f < k; f++) {
            int[] train = rows(fold, f, false), test = rows(fold, f, true);
            double lambda = lambdas[0];
            if (lambdas.length > 1) {
                int[] inner = folds(train.length, innerK, seed + 1 + f, null);
                double[] sum = new double[lambdas.length];
                for (int g = 0; g < innerK; g++) {
                    int[] tr = compose(train, rows(inner, g, false)), te = compose(train, rows(inner, g, true));
                    double[] r = ridgeScores(x, y, tr, te, lambdas);
                    for (int l = 0; l < lambdas.length; l++) {
                        sum[l] += r[l];
                    }
                }
                lambda = lambdas[best(sum)];
            }
            scores[f] = ridgeScores(x, y, train, test, new double[] {lambda})[0];
            chosen[f] = lambda;
        }
        return new Folds(scores, chosen);
    }

    /** R² on {@code test} of a ridge fitted on {@code train} (standardized on train), for each λ. */
    static double[] ridgeScores(double[][] x, double[] y, int[] train, int[] test, double[] lambdas) {
        LinearModels.Scaler sc = LinearModels.Scaler.fit(x, train);
        LinearModels.Gram gram = LinearModels.Gram.of(sc.apply(x, train), pick(y, train));
        double[][] xt = sc.apply(x, test);
        double[] yt = pick(y, test);
        double[] out = new double[lambdas.length];
        for (int l = 0; l < lambdas.length; l++) {
            out[l] = LinearModels.r2(yt, gram.solve(lambdas[l]).predict(xt));
        }
        return out;
    }

    // ---- logistic

    /** Accuracy on each held-out fold, λ by inner CV, as {@link #ridge}. */
    static Folds logistic(double[][] x, int[] y, int classes, int[] fold, int k, double[] lambdas, int innerK, long seed) {
        double[] scores = new double[k], chosen = new double[k];
        for (int f = 0; f < k; f++) {
            int[] train = rows(fold, f, false), test = rows(fold, f, true);
            double lambda = lambdas[0];
            if (lambdas.length > 1) {
                int[] inner = folds(train.length, innerK, seed + 1 + f, pick(y, train));
                double[] sum = new double[lambdas.length];
                for (int g = 0; g < innerK; g++) {
                    int[] tr = compose(train, rows(inner, g, false)), te = compose(train, rows(inner, g, true));
                    double[] r = logisticScores(x, y, classes, tr, te, lambdas, PROBE_GTOL);
                    for (int l = 0; l < lambdas.length; l++) {
                        sum[l] += r[l];
                    }
                }
                lambda = lambdas[best(sum)];
            }
            scores[f] = logisticScore(x, y, classes, train, test, lambda, PROBE_GTOL);
            chosen[f] = lambda;
        }
        return new Folds(scores, chosen);
    }

    /**
     * Accuracy on {@code test} of a logistic regression fitted on {@code train} (standardized on train) over
     * the classes present in train; a train of one class predicts that class.
     */
    static double logisticScore(double[][] x, int[] y, int classes, int[] train, int[] test, double lambda, double gtol) {
        return logisticScores(x, y, classes, train, test, new double[] {lambda}, gtol)[0];
    }

    /**
     * {@link #logisticScore} for each λ; the fits run from the largest λ down, each starting from the last
     * (the strongly penalised fit converges fast and is near the next).
     */
    static double[] logisticScores(double[][] x, int[] y, int classes, int[] train, int[] test, double[] lambdas, double gtol) {
        int[] ytr = pick(y, train), yte = pick(y, test);
        int[] present = Arrays.stream(ytr).distinct().sorted().toArray();
        int[] local = new int[classes];
        Arrays.fill(local, -1);
        for (int i = 0; i < present.length; i++) {
            local[present[i]] = i;
        }
        double[] out = new double[lambdas.length];
        int[] pred = new int[test.length];
        if (present.length == 1) {
            Arrays.fill(pred, present[0]);
            Arrays.fill(out, LinearModels.accuracy(yte, pred));
            return out;
        }
        LinearModels.Scaler sc = LinearModels.Scaler.fit(x, train);
        double[][] xtr = sc.apply(x, train), xte = sc.apply(x, test);
        int[] yl = Arrays.stream(ytr).map(c -> local[c]).toArray();
        LinearModels.Logistic m = null;
        for (int l = lambdas.length - 1; l >= 0; l--) {
            m = LinearModels.logistic(xtr, yl, present.length, lambdas[l], gtol, m);
            int[] p = m.predict(xte);
            for (int i = 0; i < p.length; i++) {
                pred[i] = present[p[i]];
            }
            out[l] = LinearModels.accuracy(yte, pred);
        }
        return out;
    }

    /** The index of the largest value; on a tie the last (the strongest penalty, the grids running upwards). */
    private static int best(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] >= v[b]) {
                b = i;
            }
        }
        return b;
    }

    /** A permutation of {@code v} by {@code seed} (the shuffled-label control). */
    static double[] shuffled(double[] v, long seed) {
        double[] out = v.clone();
        Random r = new Random(seed);
        for (int i = out.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    static int[] shuffled(int[] v, long seed) {
        double[] d = Arrays.stream(v).asDoubleStream().toArray();
        return Arrays.stream(shuffled(d, seed)).mapToInt(x -> (int) x).toArray();
    }

    /** The classes of labels, sorted (numbers numerically when all are numbers, else as text). */
    static List<String> classes(List<String> labels) {
        List<String> out = new ArrayList<>(new java.util.TreeSet<>(labels));
        if (out.stream().allMatch(s -> parse(s) != null)) {
            out.sort((a, b) -> Double.compare(parse(a), parse(b)));
        }
        return out;
    }

    /** The number in {@code s} (finite), else null. */
    static Double parse(String s) {
        try {
            double v = Double.parseDouble(s.strip());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
