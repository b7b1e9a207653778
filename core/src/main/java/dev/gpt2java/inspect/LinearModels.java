package dev.gpt2java.inspect;

import dev.gpt2java.sampling.Logits;

import java.util.Arrays;

/**
 * The small linear algebra of the probes, in double precision: standardization, ridge regression
 * (normal equations solved by Cholesky on d × d), L2-regularised logistic regression (binary and
 * multinomial, by L-BFGS), and their scores. Conventions are scikit-learn's, so that its
 * {@code StandardScaler}, {@code Ridge(alpha=λ)} and {@code LogisticRegression(C=1/λ)} are the oracle
 * ({@code LinearModelsTest}).
 */
final class LinearModels {

    private LinearModels() {
    }

    // ---- standardization

    /** Column means and population standard deviations of {@code x} (rows {@code rows}); a constant column gets 1. */
    record Scaler(double[] mean, double[] scale) {

        static Scaler fit(double[][] x, int[] rows) {
            int d = x[rows[0]].length;
            double[] mean = new double[d], var = new double[d];
            for (int r : rows) {
                for (int j = 0; j < d; j++) {
                    mean[j] += x[r][j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= rows.length;
            }
            for (int r : rows) {
                for (int j = 0; j < d; j++) {
                    double v = x[r][j] - mean[j];
                    var[j] += v * v;
                }
            }
            double[] scale = new double[d];
            for (int j = 0; j < d; j++) {
                double s = Math.sqrt(var[j] / rows.length);
                // as StandardScaler: a (near-)constant column is centred, not divided
                scale[j] = s < 1e-12 * Math.max(1, Math.abs(mean[j])) ? 1 : s;
            }
            return new Scaler(mean, scale);
        }

        /** The standardized rows {@code rows} of {@code x}. */
        double[][] apply(double[][] x, int[] rows) {
            double[][] out = new double[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                double[] src = x[rows[i]], dst = new double[src.length];
                for (int j = 0; j < dst.length; j++) {
                    dst[j] = (src[j] - mean[j]) / scale[j];
                }
                out[i] = dst;
            }
            return out;
        }
    }

    // ---- ridge regression

    /** y ≈ x · w + b. */
    record Linear(double[] w, double b) {
        double[] predict(double[][] x) {
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                out[i] = dot(x[i], w) + b;
            }
            return out;
        }
    }

    /** {@code xᵀx} of the centred columns, and {@code xᵀ(y - ȳ)}: what every λ of one training set shares. */
    record Gram(double[][] xtx, double[] xty, double[] xMean, double yMean) {

        static Gram of(double[][] x, double[] y) {
            int n = x.length, d = x[0].length;
            double[] xm = new double[d];
            double ym = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    xm[j] += x[i][j];
                }
                ym += y[i];
            }
            for (int j = 0; j < d; j++) {
                xm[j] /= n;
            }
            ym /= n;
            double[][] a = new double[d][d];
            double[] b = new double[d];
            double[] c = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    c[j] = x[i][j] - xm[j];
                }
                double yc = y[i] - ym;
                for (int j = 0; j < d; j++) {
                    double cj = c[j];
                    b[j] += cj * yc;
                    double[] aj = a[j];
                    for (int k = 0; k <= j; k++) {
                        aj[k] += cj * c[k];
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < j; k++) {
                    a[k][j] = a[j][k];
                }
            }
            return new Gram(a, b, xm, ym);
        }

        /** The ridge solution for {@code lambda}: minimises ||y - xw - b||² + λ||w||² (b not penalised). */
        Linear solve(double lambda) {
            int d = xty.length;
            double[][] a = new double[d][];
            for (int j = 0; j < d; j++) {
                a[j] = xtx[j].clone();
                a[j][j] += lambda;
            }
            double[] w = choleskySolve(a, xty.clone());
            return new Linear(w, yMean - dot(xMean, w));
        }
    }

    /** Ridge regression with penalty {@code lambda} (> 0): scikit-learn's {@code Ridge(alpha=lambda)}. */
    static Linear ridge(double[][] x, double[] y, double lambda) {
        return Gram.of(x, y).solve(lambda);
    }

    /**
     * Solves {@code a · z = b} for symmetric positive definite {@code a} (overwritten by its Cholesky factor),
     * returning z in {@code b}.
     */
    static double[] choleskySolve(double[][] a, double[] b) {
        int d = b.length;
        for (int j = 0; j < d; j++) {
            double[] aj = a[j];
            double s = aj[j];
            for (int k = 0; k < j; k++) {
                s -= aj[k] * aj[k];
            }
            if (!(s > 0)) {
                throw new ArithmeticException("the matrix is not positive definite (pivot " + j + " is " + s + ")");
            }
            double l = Math.sqrt(s);
            aj[j] = l;
            for (int i = j + 1; i < d; i++) {
                double[] ai = a[i];
                double t = ai[j];
                for (int k = 0; k < j; k++) {
                    t -= ai[k] * aj[k];
                }
                ai[j] = t / l;
            }
        }
        for (int i = 0; i < d; i++) { // L z = b
            double t = b[i];
            for (int k = 0; k < i; k++) {
                t -= a[i][k] * b[k];
            }
            b[i] = t / a[i][i];
        }
        for (int i = d - 1; i >= 0; i--) { // Lᵀ x = z
            double t = b[i];
            for (int k = i + 1; k < d; k++) {
                t -= a[k][i] * b[k];
            }
            b[i] = t / a[i][i];
        }
        return b;
    }

    // ---- logistic regression

    /**
     * A logistic regression over classes 0..k-1: for k = 2 one weight vector (the sigmoid of
     * {@code x · w[0] + b[0]} is P(class 1)), for k > 2 one per class (softmax).
     */
    record Logistic(double[][] w, double[] b, int classes) {

        /** Class probabilities of each row. */
        double[][] probabilities(double[][] x) {
            double[][] out = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                if (classes == 2) {
                    double p = sigmoid(dot(x[i], w[0]) + b[0]);
                    out[i] = new double[] {1 - p, p};
                } else {
                    double[] z = new double[classes];
                    for (int c = 0; c < classes; c++) {
                        z[c] = dot(x[i], w[c]) + b[c];
                    }
                    Logits.softmaxInPlace(z);
                    out[i] = z;
                }
            }
            return out;
        }

        /** The most probable class of each row (the lowest on a tie). */
        int[] predict(double[][] x) {
            double[][] p = probabilities(x);
            int[] out = new int[x.length];
            for (int i = 0; i < x.length; i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (p[i][c] > p[i][best]) {
                        best = c;
                    }
                }
                out[i] = best;
            }
            return out;
        }
    }

    /**
     * L2-regularised logistic regression: minimises Σᵢ −log P(yᵢ | xᵢ) + (λ/2) ||w||² (intercepts not
     * penalised), scikit-learn's {@code LogisticRegression(C=1/λ)} (binary: sigmoid; more classes:
     * multinomial). Converges by L-BFGS until the largest gradient entry is below {@code gtol} times
     * max(1, n).
     *
     * @param y classes 0..classes-1, each present or not
     */
    static Logistic logistic(double[][] x, int[] y, int classes, double lambda, double gtol) {
        return logistic(x, y, classes, lambda, gtol, null);
    }

    /** As {@link #logistic(double[][], int[], int, double, double)}, starting from {@code start} (a fit of the same shape) if not null. */
    static Logistic logistic(double[][] x, int[] y, int classes, double lambda, double gtol, Logistic start) {
        int n = x.length, d = x[0].length;
        int k = classes == 2 ? 1 : classes;
        Objective f = (p, g) -> {
            Arrays.fill(g, 0);
            double loss = 0;
            double[] z = new double[k];
            for (int i = 0; i < n; i++) {
                double[] xi = x[i];
                for (int c = 0; c < k; c++) {
                    double s = p[k * d + c];
                    int o = c * d;
                    for (int j = 0; j < d; j++) {
                        s += xi[j] * p[o + j];
                    }
                    z[c] = s;
                }
                if (k == 1) {
                    double s = z[0];
                    // −log σ(s) for class 1, −log(1 − σ(s)) for class 0, without overflow
                    loss += y[i] == 1 ? log1pExp(-s) : log1pExp(s);
                    z[0] = sigmoid(s) - y[i];
                } else {
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : z) {
                        max = Math.max(max, v);
                    }
                    double sum = 0;
                    for (int c = 0; c < k; c++) {
                        sum += Math.exp(z[c] - max);
                    }
                    double lse = max + Math.log(sum);
                    loss += lse - z[y[i]];
                    for (int c = 0; c < k; c++) {
                        z[c] = Math.exp(z[c] - lse) - (c == y[i] ? 1 : 0);
                    }
                }
                for (int c = 0; c < k; c++) {
                    double r = z[c];
                    int o = c * d;
                    for (int j = 0; j < d; j++) {
                        g[o + j] += r * xi[j];
                    }
                    g[k * d + c] += r;
                }
            }
            for (int j = 0; j < k * d; j++) {
                loss += 0.5 * lambda * p[j] * p[j];
                g[j] += lambda * p[j];
            }
            return loss;
        };
        double[] p0 = new double[k * d + k];
        if (start != null) {
            for (int c = 0; c < k; c++) {
                System.arraycopy(start.w()[c], 0, p0, c * d, d);
                p0[k * d + c] = start.b()[c];
            }
        }
        double[] p = lbfgs(f, p0, gtol * Math.max(1, n), 10_000);
        double[][] w = new double[k][];
        double[] b = new double[k];
        for (int c = 0; c < k; c++) {
            w[c] = Arrays.copyOfRange(p, c * d, (c + 1) * d);
            b[c] = p[k * d + c];
        }
        return new Logistic(w, b, classes);
    }

    /** A smooth function to minimise: returns f(p) and writes its gradient into g. */
    interface Objective {
        double value(double[] p, double[] g);
    }

    /**
     * Limited-memory BFGS (10 pairs) with a backtracking line search on the Armijo condition, from
     * {@code p0}, until the largest gradient entry is below {@code gtol} or the step no longer changes f.
     */
    static double[] lbfgs(Objective f, double[] p0, double gtol, int maxIter) {
        int m = 10, n = p0.length;
        double[][] s = new double[m][], yv = new double[m][];
        double[] rho = new double[m];
        int stored = 0, next = 0;
        double[] p = p0.clone(), g = new double[n];
        double fx = f.value(p, g);
        double[] pNew = new double[n], gNew = new double[n], dir = new double[n], alpha = new double[m];
        for (int iter = 0; iter < maxIter && maxAbs(g) > gtol; iter++) {
            // two-loop recursion: dir = −H g
            System.arraycopy(g, 0, dir, 0, n);
            for (int t = 0; t < stored; t++) {
                int i = Math.floorMod(next - 1 - t, m);
                alpha[i] = rho[i] * dot(s[i], dir);
                axpy(-alpha[i], yv[i], dir);
            }
            double gamma = 1;
            if (stored > 0) {
                int last = Math.floorMod(next - 1, m);
                gamma = dot(s[last], yv[last]) / dot(yv[last], yv[last]);
            } else {
                gamma = 1 / Math.max(1, maxAbs(g)); // a first step of at most 1 per entry
            }
            for (int j = 0; j < n; j++) {
                dir[j] *= gamma;
            }
            for (int t = stored - 1; t >= 0; t--) {
                int i = Math.floorMod(next - 1 - t, m);
                double beta = rho[i] * dot(yv[i], dir);
                axpy(alpha[i] - beta, s[i], dir);
            }
            for (int j = 0; j < n; j++) {
                dir[j] = -dir[j];
            }
            double slope = dot(g, dir);
            if (!(slope < 0)) { // not a descent direction: restart from the gradient
                stored = 0;
                for (int j = 0; j < n; j++) {
                    dir[j] = -g[j] / Math.max(1, maxAbs(g));
                }
                slope = dot(g, dir);
            }
            double step = 1, fNew;
            while (true) {
                for (int j = 0; j < n; j++) {
                    pNew[j] = p[j] + step * dir[j];
                }
                fNew = f.value(pNew, gNew);
                if (fNew <= fx + 1e-4 * step * slope || step < 1e-20) {
                    break;
                }
                step *= 0.5;
            }
            if (!(fNew < fx) && step < 1e-20) {
                break; // no progress possible at this precision
            }
            double[] si = new double[n], yi = new double[n];
            for (int j = 0; j < n; j++) {
                si[j] = pNew[j] - p[j];
                yi[j] = gNew[j] - g[j];
            }
            double sy = dot(si, yi);
            if (sy > 1e-12 * Math.sqrt(dot(si, si) * dot(yi, yi))) {
                s[next] = si;
                yv[next] = yi;
                rho[next] = 1 / sy;
                next = (next + 1) % m;
                stored = Math.min(stored + 1, m);
            }
            double[] t = p;
            p = pNew;
            pNew = t;
            t = g;
            g = gNew;
            gNew = t;
            boolean flat = Math.abs(fx - fNew) <= 1e-16 * Math.max(1, Math.abs(fNew));
            fx = fNew;
            if (flat && maxAbs(g) <= gtol * 1e3) {
                break;
            }
        }
        return p;
    }

    // ---- scores

    /** The coefficient of determination 1 − SS_res / SS_tot (scikit-learn's {@code r2_score}; 0 for a constant y predicted exactly). */
    static double r2(double[] y, double[] pred) {
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double res = 0, tot = 0;
        for (int i = 0; i < y.length; i++) {
            res += (y[i] - pred[i]) * (y[i] - pred[i]);
            tot += (y[i] - mean) * (y[i] - mean);
        }
        if (tot == 0) {
            return res == 0 ? 1 : 0;
        }
        return 1 - res / tot;
    }

    /** The share of rows predicted right. */
    static double accuracy(int[] y, int[] pred) {
        int right = 0;
        for (int i = 0; i < y.length; i++) {
            right += y[i] == pred[i] ? 1 : 0;
        }
        return (double) right / y.length;
    }

    // ---- helpers

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static double sigmoid(double s) {
        return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
    }

    /** log(1 + e^s) without overflow. */
    private static double log1pExp(double s) {
        return s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
    }
}
