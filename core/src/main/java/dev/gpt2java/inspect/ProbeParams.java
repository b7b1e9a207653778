package dev.gpt2java.inspect;

import java.util.Arrays;

/**
 * How {@link Probe} fits and scores its probes.
 *
 * @param kind       {@link Probe.Kind#RIDGE} (numeric labels, scored by R²), {@link Probe.Kind#LOGISTIC} (class
 *                   labels, scored by accuracy), or null: ridge when every label is a number, else logistic
 * @param layers     hidden-state indices to probe (0 the embeddings, 1..nLayer the blocks' outputs), or null for
 *                   all of 0..nLayer
 * @param position   token position read: 0.. from the start, -1 the last token (the default), -2, ...
 * @param folds      outer cross-validation folds, >= 2: each row is scored once, by a probe that did not see it
 * @param innerFolds folds of the inner cross-validation that picks λ on each training part, >= 2
 * @param seed       seeds the folds and the shuffled-label control
 * @param lambdas    the L2 penalties to choose from (> 0, ascending; one value: no inner cross-validation). Ridge
 *                   minimises ||y − Xw − b||² + λ||w||², logistic Σ −log P(y|x) + (λ/2)||w||², on standardized
 *                   features
 * @param prependBos whether each text is read after the beginning-of-sequence token
 */
public record ProbeParams(Probe.Kind kind, int[] layers, int position, int folds, int innerFolds, long seed,
                          double[] lambdas, boolean prependBos) {

    /** The default grid of λ: 10⁻², 10⁻¹, ..., 10⁵. */
    public static final double[] DEFAULT_LAMBDAS = {1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5};

    public ProbeParams {
        if (layers != null) {
            if (layers.length == 0) {
                throw new IllegalArgumentException("layers must name at least one layer, or be null for all");
            }
            for (int l : layers) {
                if (l < 0) {
                    throw new IllegalArgumentException("layers must be >= 0 (0: the embeddings), was " + l);
                }
            }
            layers = layers.clone();
        }
        if (folds < 2) {
            throw new IllegalArgumentException("folds must be >= 2, was " + folds);
        }
        if (innerFolds < 2) {
            throw new IllegalArgumentException("innerFolds must be >= 2, was " + innerFolds);
        }
        if (lambdas == null || lambdas.length == 0) {
            throw new IllegalArgumentException("lambdas must hold at least one value");
        }
        for (int i = 0; i < lambdas.length; i++) {
            if (!(lambdas[i] > 0) || Double.isInfinite(lambdas[i])) {
                throw new IllegalArgumentException("lambdas must be finite and > 0, was " + lambdas[i]);
            }
            if (i > 0 && !(lambdas[i] > lambdas[i - 1])) {
                throw new IllegalArgumentException("lambdas must be ascending, was " + Arrays.toString(lambdas));
            }
        }
        lambdas = lambdas.clone();
    }

    /** Kind from the labels, every layer, the last token, 5 folds, 3 inner folds, seed 1, {@link #DEFAULT_LAMBDAS}, no BOS. */
    public static ProbeParams defaults() {
        return new ProbeParams(null, null, -1, 5, 3, 1, DEFAULT_LAMBDAS, false);
    }

    @Override
    public int[] layers() {
        return layers == null ? null : layers.clone();
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }

    public ProbeParams withKind(Probe.Kind kind) {
        return new ProbeParams(kind, layers, position, folds, innerFolds, seed, lambdas, prependBos);
    }

    public ProbeParams withLayers(int... layers) {
        return new ProbeParams(kind, layers, position, folds, innerFolds, seed, lambdas, prependBos);
    }

    public ProbeParams withPosition(int position) {
        return new ProbeParams(kind, layers, position, folds, innerFolds, seed, lambdas, prependBos);
    }

    public ProbeParams withFolds(int folds) {
        return new ProbeParams(kind, layers, position, folds, innerFolds, seed, lambdas, prependBos);
    }

    public ProbeParams withInnerFolds(int innerFolds) {
        return new ProbeParams(kind, layers, position, folds, innerFolds, seed, lambdas, prependBos);
    }

    public ProbeParams withSeed(long seed) {
        return new ProbeParams(kind, layers, position, folds, innerFolds, seed, lambdas, prependBos);
    }

    public ProbeParams withLambdas(double... lambdas) {
        return new ProbeParams(kind, layers, position, folds, innerFolds, seed, lambdas, prependBos);
    }

    public ProbeParams withPrependBos(boolean prependBos) {
        return new ProbeParams(kind, layers, position, folds, innerFolds, seed, lambdas, prependBos);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProbeParams p && kind == p.kind && Arrays.equals(layers, p.layers) && position == p.position
                && folds == p.folds && innerFolds == p.innerFolds && seed == p.seed && Arrays.equals(lambdas, p.lambdas)
                && prependBos == p.prependBos;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {kind, Arrays.hashCode(layers), position, folds, innerFolds, seed,
                Arrays.hashCode(lambdas), prependBos});
    }

    @Override
    public String toString() {
        return "ProbeParams[kind=" + kind + ", layers=" + Arrays.toString(layers) + ", position=" + position + ", folds="
                + folds + ", innerFolds=" + innerFolds + ", seed=" + seed + ", lambdas=" + Arrays.toString(lambdas)
                + ", prependBos=" + prependBos + "]";
    }
}
