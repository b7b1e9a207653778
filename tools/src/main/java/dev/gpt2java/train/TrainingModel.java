package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import dev.gpt2java.jvm.VectorMath;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * GPT-2's forward and backward pass on a batch of B sequences of T tokens, in F32 on the heap, for
 * training. It computes exactly Hugging Face's {@code GPT2LMHeadModel} (tanh GELU, LayerNorm eps 1e-5,
 * tied output) and the gradient of the mean next-token cross-entropy with respect to every parameter.
 *
 * <p>Shapes are written as (B, T, C) with BT = B·T rows; V the vocabulary, NH heads of HS = C / NH.
 * Every activation the backward pass needs is kept from the forward pass. The output projection (the
 * largest matrix) is done in chunks of rows, forward and backward fused, so the BT × V logits are never
 * held at once.
 *
 * <p>Not thread-safe; one instance per trainer. Results are bit-for-bit the same for any thread count.
 */
final class TrainingModel extends TrainingPass {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float EPS = 1e-5f;
    private static final int HEAD_CHUNK = 256;   // rows of the output projection done at once

    final ModelShape shape;
    final int B;
    final int T;
    private final Workers workers;
    private final Workers serial = new Workers(1);

    // activations, per layer where indexed by l
    private final float[] encoded;          // (BT, C) token + position embeddings
    private final float[][] ln1, ln1Mean, ln1Rstd;    // (BT, C), (BT), (BT)
    private final float[][] qkv;            // (BT, 3C)
    private final float[][] att;            // (B, NH, T, T) attention probabilities
    private final float[][] atty;           // (BT, C) heads' outputs, concatenated
    private final float[][] res2;           // (BT, C) residual after attention
    private final float[][] ln2, ln2Mean, ln2Rstd;
    private final float[][] fch;            // (BT, 4C) before GELU
    private final float[][] fchGelu;        // (BT, 4C)
    private final float[][] res3;           // (BT, C) residual after the MLP
    private final float[] lnf, lnfMean, lnfRstd;
    private final float[] rowLoss;          // (BT)
    private final float[] logits;           // (HEAD_CHUNK, V)
    private final float[] wT;               // scratch: a transposed weight
    // gradients of activations (reused across layers)
    private final float[] dres, dln, dbig, dbig2, dqkv, datty;
    private int[] lastTokens;

    TrainingModel(ModelShape shape, int batch, int seqLen, Workers workers) {
        if (batch < 1 || seqLen < 1 || seqLen > shape.nCtx()) {
            throw new IllegalArgumentException("batch " + batch + " × " + seqLen + " tokens: batch must be >= 1 and "
                    + "the sequence length in [1, n_ctx = " + shape.nCtx() + "]");
        }
        super(shape);
        this.shape = shape;
        this.B = batch;
        this.T = seqLen;
        this.workers = workers;
        int bt = batch * seqLen, c = shape.nEmbd(), nl = shape.nLayer();
        long attSize = (long) batch * shape.nHead() * seqLen * seqLen;
        if (attSize > Integer.MAX_VALUE - 64 || (long) HEAD_CHUNK * shape.nVocab() > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("batch " + batch + " × " + seqLen + " is too large for one step");
        }
        encoded = new float[bt * c];
        ln1 = new float[nl][bt * c];
        ln1Mean = new float[nl][bt];
        ln1Rstd = new float[nl][bt];
        qkv = new float[nl][bt * 3 * c];
        att = new float[nl][(int) attSize];
        atty = new float[nl][bt * c];
        res2 = new float[nl][bt * c];
        ln2 = new float[nl][bt * c];
        ln2Mean = new float[nl][bt];
        ln2Rstd = new float[nl][bt];
        fch = new float[nl][bt * 4 * c];
        fchGelu = new float[nl][bt * 4 * c];
        res3 = new float[nl][bt * c];
        lnf = new float[bt * c];
        lnfMean = new float[bt];
        lnfRstd = new float[bt];
        rowLoss = new float[bt];
        logits = new float[HEAD_CHUNK * shape.nVocab()];
        wT = new float[Math.max(shape.nVocab(), 4 * c) * c];
        dres = new float[bt * c];
        dln = new float[bt * c];
        dbig = new float[bt * 4 * c];
        dbig2 = new float[bt * 4 * c];
        dqkv = new float[bt * 3 * c];
        datty = new float[bt * c];
    }

    @Override
    public void close() {
        serial.close();
    }

    /** Mean cross-entropy of predicting targets[i] after inputs[0..i] (per sequence); no gradients. */
    @Override
    float loss(int[] inputs, int[] targets) {
        forward(inputs);
        return head(targets, false, null);
    }

    /** Mean cross-entropy, and its gradient with respect to every parameter in {@link #grads}. */
    @Override
    float lossAndGradients(int[] inputs, int[] targets) {
        forward(inputs);
        Arrays.fill(grads, 0f);
        float loss = head(targets, true, null);
        backward();
        return loss;
    }

    @Override
    float[] tokenLosses(int[] inputs, int[] targets) {
        forward(inputs);
        head(targets, false, null);
        return rowLoss.clone();
    }

    @Override
    float[] weightedGradients(int[] inputs, int[] targets, float[] weights) {
        requireWeights(weights);
        forward(inputs);
        Arrays.fill(grads, 0f);
        head(targets, true, weights);
        backward();
        return rowLoss.clone();
    }

    @Override
    float[] weightedGradients(int[] inputs, int[] targets, UnaryOperator<float[]> weightsOf) {
        forward(inputs);
        head(targets, false, null);
        float[] weights = weightsOf.apply(rowLoss.clone());
        requireWeights(weights);
        Arrays.fill(grads, 0f);
        // the logits again (the largest product of the pass, but not the blocks below it), now with the gradient
        head(targets, true, weights);
        backward();
        return rowLoss.clone();
    }

    private void requireWeights(float[] weights) {
        if (weights.length != B * T) {
            throw new IllegalArgumentException(weights.length + " token weights, expected " + B + " × " + T);
        }
        for (float w : weights) {
            if (!Float.isFinite(w)) {
                throw new IllegalArgumentException("token weight " + w + " is not finite");
            }
        }
    }

    // ------------------------------------------------------------------ forward

    /** ids must be B × T ids of the vocabulary; {@code what} and {@code one} name them and one of them in the messages. */
    private void requireBatchOfTokens(int[] ids, String what, String one) {
        int v = shape.nVocab();
        if (ids.length != B * T) {
            throw new IllegalArgumentException(ids.length + " " + what + ", expected " + B + " × " + T);
        }
        for (int tok : ids) {
            if (tok < 0 || tok >= v) {
                throw new IllegalArgumentException(one + " " + tok + " outside the vocabulary [0, " + v + ")");
            }
        }
    }

    private void forward(int[] inputs) {
        int bt = B * T, c = shape.nEmbd();
        requireBatchOfTokens(inputs, "input tokens", "token id");
        lastTokens = inputs.clone();
        // x = wte(input_ids) + wpe(position_ids)                         (BT, C)
        for (int i = 0; i < bt; i++) {
            int t = i % T;
            for (int j = 0; j < c; j++) {
                encoded[i * c + j] = params[layout.wte + inputs[i] * c + j] + params[layout.wpe + t * c + j];
            }
        }
        float[] x = encoded;
        for (int l = 0; l < shape.nLayer(); l++) {
            Parameters.Layer p = layout.layers[l];
            // h = ln_1(x)                                                 (BT, C)
            layerNorm(ln1[l], ln1Mean[l], ln1Rstd[l], x, p.ln1w(), p.ln1b());
            // qkv = c_attn(h)                                            (BT, 3C)
            linear(qkv[l], ln1[l], p.qkvw(), p.qkvb(), c, 3 * c);
            // y = softmax(q kᵀ / √HS + causal mask) v, heads concatenated (BT, C)
            attention(atty[l], att[l], qkv[l]);
            // x = x + c_proj(y)                                          (BT, C)
            linear(res2[l], atty[l], p.attprojw(), p.attprojb(), c, c);
            add(res2[l], x);
            // h = ln_2(x)
            layerNorm(ln2[l], ln2Mean[l], ln2Rstd[l], res2[l], p.ln2w(), p.ln2b());
            // h = gelu_new(c_fc(h))                                      (BT, 4C)
            linear(fch[l], ln2[l], p.fcw(), p.fcb(), c, 4 * c);
            gelu(fchGelu[l], fch[l]);
            // x = x + c_proj(h)                                          (BT, C)
            linear(res3[l], fchGelu[l], p.fcprojw(), p.fcprojb(), 4 * c, c);
            add(res3[l], res2[l]);
            x = res3[l];
        }
        // h = ln_f(x)                                                    (BT, C)
        layerNorm(lnf, lnfMean, lnfRstd, x, layout.lnfw, layout.lnfb);
    }

    /**
     * logits = h wteᵀ (tied lm_head), then the cross-entropy of each row against its target into
     * {@link #rowLoss}; returns their mean, or with {@code weights} (B·T) their weighted sum Σ wᵢ CEᵢ. With
     * {@code grad}, also the gradient of what it returns: dL/dh into {@link #dres} and dL/dwte into the
     * gradients, chunk by chunk.
     */
    private float head(int[] targets, boolean grad, float[] weights) {
        int bt = B * T, c = shape.nEmbd(), v = shape.nVocab();
        requireBatchOfTokens(targets, "targets", "target id");
        MatMul.transpose(workers, params, layout.wte, v, c, wT);        // wteᵀ (C, V)
        float scale = 1f / bt;
        for (int r0 = 0; r0 < bt; r0 += HEAD_CHUNK) {
            int n = Math.min(HEAD_CHUNK, bt - r0);
            final int first = r0;
            // logits = h[r0..r0+n) wteᵀ                                  (n, V)
            MatMul.mm(workers, logits, 0, lnf, r0 * c, wT, 0, n, c, v, false);
            // loss_i = -log softmax(logits_i)[target_i]; dlogits = (softmax - onehot) / BT
            workers.forEach(n, i -> {
                float w = !grad ? 0f : weights == null ? scale : weights[first + i];
                rowLoss[first + i] = softmaxCrossEntropy(logits, i * v, v, targets[first + i], w);
                if (grad && w == 0f) {
                    Arrays.fill(logits, i * v, (i + 1) * v, 0f);   // a row of weight 0 has no gradient
                }
            });
            if (grad) {
                // dh[r0..) = dlogits wte                                 (n, C)
                MatMul.mm(workers, dres, r0 * c, logits, 0, params, layout.wte, n, v, c, false);
                // dwte += dlogitsᵀ h[r0..)                               (V, C)
                MatMul.mmTA(workers, grads, layout.wte, logits, 0, lnf, r0 * c, n, v, c, true);
            }
        }
        double sum = 0;
        for (int i = 0; i < bt; i++) {
            sum += weights == null ? rowLoss[i] : (double) weights[i] * rowLoss[i];
        }
        return (float) (weights == null ? sum / bt : sum);
    }

    /** -log p[target] of softmax(x[off..off+v)); with gradScale != 0, x becomes (p - onehot) · gradScale. */
    private static float softmaxCrossEntropy(float[] x, int off, int v, int target, float gradScale) {
        int i = 0;
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int bound = S.loopBound(v); i < bound; i += S.length()) {
            vmax = vmax.max(FloatVector.fromArray(S, x, off + i));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < v; i++) {
            max = Math.max(max, x[off + i]);
        }
        float xt = x[off + target];
        // sum of exp(x - max), summed in double lane-wise blocks for accuracy
        double sum = 0;
        i = 0;
        FloatVector vm = FloatVector.broadcast(S, max);
        for (int bound = S.loopBound(v); i < bound; i += S.length()) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, off + i).sub(vm));
            if (gradScale != 0f) {
                e.intoArray(x, off + i);
            }
            sum += VectorMath.sum(e);
        }
        for (; i < v; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            if (gradScale != 0f) {
                x[off + i] = e;
            }
            sum += e;
        }
        float loss = (float) (Math.log(sum) - (xt - max));
        if (gradScale != 0f) {
            float k = (float) (gradScale / sum);
            i = 0;
            for (int bound = S.loopBound(v); i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, off + i).mul(k).intoArray(x, off + i);
            }
            for (; i < v; i++) {
                x[off + i] *= k;
            }
            x[off + target] -= gradScale;
        }
        return loss;
    }

    // ------------------------------------------------------------------ backward

    private void backward() {
        int bt = B * T, c = shape.nEmbd();
        // dh (in dres) → dx through ln_f
        System.arraycopy(dres, 0, dln, 0, bt * c);
        float[] xLast = shape.nLayer() > 0 ? res3[shape.nLayer() - 1] : encoded;
        Arrays.fill(dres, 0f);
        layerNormBackward(dres, dln, xLast, lnfMean, lnfRstd, layout.lnfw, layout.lnfb);
        for (int l = shape.nLayer() - 1; l >= 0; l--) {
            Parameters.Layer p = layout.layers[l];
            float[] xIn = l == 0 ? encoded : res3[l - 1];
            // x = res2 + c_proj(gelu(c_fc(ln_2(res2)))): dres is dL/dx
            linearBackward(dbig, dres, fchGelu[l], p.fcprojw(), p.fcprojb(), 4 * c, c);
            geluBackward(dbig2, fch[l], dbig);
            linearBackward(dln, dbig2, ln2[l], p.fcw(), p.fcb(), c, 4 * c);
            layerNormBackward(dres, dln, res2[l], ln2Mean[l], ln2Rstd[l], p.ln2w(), p.ln2b());   // dres += ...
            // res2 = xIn + c_proj(attn(ln_1(xIn)))
            linearBackward(datty, dres, atty[l], p.attprojw(), p.attprojb(), c, c);
            attentionBackward(dqkv, datty, qkv[l], att[l]);
            linearBackward(dln, dqkv, ln1[l], p.qkvw(), p.qkvb(), c, 3 * c);
            layerNormBackward(dres, dln, xIn, ln1Mean[l], ln1Rstd[l], p.ln1w(), p.ln1b());
        }
        // dwte[token] += dx, dwpe[position] += dx
        for (int i = 0; i < bt; i++) {
            int t = i % T;
            int tok = lastTokens[i];
            for (int j = 0; j < c; j++) {
                grads[layout.wte + tok * c + j] += dres[i * c + j];
                grads[layout.wpe + t * c + j] += dres[i * c + j];
            }
        }
    }

    // ------------------------------------------------------------------ layers

    /** out = in Wᵀ + b for W (out, in) at params[w]. */
    private void linear(float[] out, float[] in, int w, int b, int inDim, int outDim) {
        int bt = B * T;
        MatMul.transpose(workers, params, w, outDim, inDim, wT);      // Wᵀ (in, out)
        for (int i = 0; i < bt; i++) {
            System.arraycopy(params, b, out, i * outDim, outDim);
        }
        MatMul.mm(workers, out, 0, in, 0, wT, 0, bt, inDim, outDim, true);
    }

    /** dIn = dOut W; dW += dOutᵀ in; db += Σ dOut. */
    private void linearBackward(float[] dIn, float[] dOut, float[] in, int w, int b, int inDim, int outDim) {
        int bt = B * T;
        MatMul.mm(workers, dIn, 0, dOut, 0, params, w, bt, outDim, inDim, false);
        MatMul.mmTA(workers, grads, w, dOut, 0, in, 0, bt, outDim, inDim, true);
        for (int i = 0; i < bt; i++) {
            for (int o = 0; o < outDim; o++) {
                grads[b + o] += dOut[i * outDim + o];
            }
        }
    }

    private void add(float[] y, float[] x) {
        for (int i = 0, n = B * T * shape.nEmbd(); i < n; i++) {
            y[i] += x[i];
        }
    }

    /** out = (x - mean) / sqrt(var + eps) · w + b, row by row; keeps mean and 1/sqrt(var + eps). */
    private void layerNorm(float[] out, float[] mean, float[] rstd, float[] x, int w, int b) {
        int c = shape.nEmbd();
        workers.forEach(B * T, i -> {
            int o = i * c;
            float m = 0;
            for (int j = 0; j < c; j++) {
                m += x[o + j];
            }
            m /= c;
            float var = 0;
            for (int j = 0; j < c; j++) {
                float d = x[o + j] - m;
                var += d * d;
            }
            var /= c;
            float r = (float) (1.0 / Math.sqrt(var + EPS));
            for (int j = 0; j < c; j++) {
                out[o + j] = (x[o + j] - m) * r * params[w + j] + params[b + j];
            }
            mean[i] = m;
            rstd[i] = r;
        });
    }

    /** dx += dL/dx of layerNorm given dOut; dw, db accumulate into the gradients. */
    private void layerNormBackward(float[] dx, float[] dOut, float[] x, float[] mean, float[] rstd, int w, int b) {
        int c = shape.nEmbd();
        workers.forEach(B * T, i -> {
            int o = i * c;
            float m = mean[i], r = rstd[i];
            float dnormMean = 0, dnormNormMean = 0;
            for (int j = 0; j < c; j++) {
                float norm = (x[o + j] - m) * r;
                float dnorm = params[w + j] * dOut[o + j];
                dnormMean += dnorm;
                dnormNormMean += dnorm * norm;
            }
            dnormMean /= c;
            dnormNormMean /= c;
            for (int j = 0; j < c; j++) {
                float norm = (x[o + j] - m) * r;
                float dnorm = params[w + j] * dOut[o + j];
                dx[o + j] += (dnorm - dnormMean - norm * dnormNormMean) * r;
            }
        });
        for (int i = 0; i < B * T; i++) {
            int o = i * c;
            float m = mean[i], r = rstd[i];
            for (int j = 0; j < c; j++) {
                grads[w + j] += (x[o + j] - m) * r * dOut[o + j];
                grads[b + j] += dOut[o + j];
            }
        }
    }

    private static final float GELU_K = (float) Math.sqrt(2.0 / Math.PI);

    /** gelu_new: 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))). */
    private void gelu(float[] out, float[] x) {
        int n = x.length, chunk = 4096;
        workers.forEach((n + chunk - 1) / chunk, ch -> {
            for (int i = ch * chunk, end = Math.min(n, i + chunk); i < end; i++) {
                float v = x[i];
                float u = GELU_K * (v + 0.044715f * v * v * v);
                out[i] = 0.5f * v * (1f + (float) Math.tanh(u));
            }
        });
    }

    private void geluBackward(float[] dx, float[] x, float[] dOut) {
        int n = x.length, chunk = 4096;
        workers.forEach((n + chunk - 1) / chunk, ch -> {
            for (int i = ch * chunk, end = Math.min(n, i + chunk); i < end; i++) {
                float v = x[i];
                float u = GELU_K * (v + 0.044715f * v * v * v);
                float th = (float) Math.tanh(u);
                float sech2 = 1f - th * th;
                float du = GELU_K * (1f + 3f * 0.044715f * v * v);
                dx[i] = (0.5f * (1f + th) + 0.5f * v * sech2 * du) * dOut[i];
            }
        });
    }

    /** Causal multi-head attention of one layer, one task per (sequence, head). */
    private void attention(float[] out, float[] probs, float[] qkvAll) {
        int c = shape.nEmbd(), nh = shape.nHead(), hs = shape.headDim();
        float scale = (float) (1.0 / Math.sqrt(hs));
        workers.forEach(B * nh, task -> {
            int b = task / nh, h = task % nh;
            float[] q = new float[T * hs], kT = new float[hs * T], v = new float[T * hs], y = new float[T * hs];
            gatherHead(qkvAll, b, h, q, kT, v);
            int pOff = (b * nh + h) * T * T;
            // scores = q kᵀ                                               (T, T)
            MatMul.mm(serial, probs, pOff, q, 0, kT, 0, T, hs, T, false);
            // probs = softmax(scores / √HS) over keys t2 <= t
            for (int t = 0; t < T; t++) {
                int row = pOff + t * T;
                float max = Float.NEGATIVE_INFINITY;
                for (int t2 = 0; t2 <= t; t2++) {
                    max = Math.max(max, probs[row + t2] * scale);
                }
                float sum = 0;
                for (int t2 = 0; t2 <= t; t2++) {
                    float e = (float) Math.exp(probs[row + t2] * scale - max);
                    probs[row + t2] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                for (int t2 = 0; t2 <= t; t2++) {
                    probs[row + t2] *= inv;
                }
                Arrays.fill(probs, row + t + 1, row + T, 0f);
            }
            // y = probs v                                                  (T, HS)
            MatMul.mm(serial, y, 0, probs, pOff, v, 0, T, T, hs, false);
            for (int t = 0; t < T; t++) {
                System.arraycopy(y, t * hs, out, (b * T + t) * c + h * hs, hs);
            }
        });
    }

    private void attentionBackward(float[] dqkvAll, float[] dOut, float[] qkvAll, float[] probs) {
        int c = shape.nEmbd(), nh = shape.nHead(), hs = shape.headDim();
        float scale = (float) (1.0 / Math.sqrt(hs));
        workers.forEach(B * nh, task -> {
            int b = task / nh, h = task % nh;
            float[] q = new float[T * hs], kT = new float[hs * T], v = new float[T * hs];
            gatherHead(qkvAll, b, h, q, kT, v);
            float[] dy = new float[T * hs], vT = new float[hs * T], k = new float[T * hs];
            for (int t = 0; t < T; t++) {
                System.arraycopy(dOut, (b * T + t) * c + h * hs, dy, t * hs, hs);
                for (int j = 0; j < hs; j++) {
                    vT[j * T + t] = v[t * hs + j];
                    k[t * hs + j] = kT[j * T + t];
                }
            }
            int pOff = (b * nh + h) * T * T;
            float[] dp = new float[T * T];
            // dprobs = dy vᵀ (T, T); dv = probsᵀ dy (T, HS)
            MatMul.mm(serial, dp, 0, dy, 0, vT, 0, T, hs, T, false);
            float[] dv = new float[T * hs];
            MatMul.mmTA(serial, dv, 0, probs, pOff, dy, 0, T, T, hs, false);
            // dscores = probs ⊙ (dprobs - Σ probs ⊙ dprobs) · scale, causal entries only
            for (int t = 0; t < T; t++) {
                int row = t * T;
                float dot = 0;
                for (int t2 = 0; t2 <= t; t2++) {
                    dot += probs[pOff + row + t2] * dp[row + t2];
                }
                for (int t2 = 0; t2 <= t; t2++) {
                    dp[row + t2] = probs[pOff + row + t2] * (dp[row + t2] - dot) * scale;
                }
                Arrays.fill(dp, row + t + 1, row + T, 0f);
            }
            // dq = dscores k (T, HS); dk = dscoresᵀ q (T, HS)
            float[] dq = new float[T * hs], dk = new float[T * hs];
            MatMul.mm(serial, dq, 0, dp, 0, k, 0, T, T, hs, false);
            MatMul.mmTA(serial, dk, 0, dp, 0, q, 0, T, T, hs, false);
            for (int t = 0; t < T; t++) {
                int o = (b * T + t) * 3 * c + h * hs;
                System.arraycopy(dq, t * hs, dqkvAll, o, hs);
                System.arraycopy(dk, t * hs, dqkvAll, o + c, hs);
                System.arraycopy(dv, t * hs, dqkvAll, o + 2 * c, hs);
            }
        });
    }

    /** q (T, HS), kᵀ (HS, T) and v (T, HS) of head h of sequence b. */
    private void gatherHead(float[] qkvAll, int b, int h, float[] q, float[] kT, float[] v) {
        int c = shape.nEmbd(), hs = shape.headDim();
        for (int t = 0; t < T; t++) {
            int o = (b * T + t) * 3 * c + h * hs;
            System.arraycopy(qkvAll, o, q, t * hs, hs);
            System.arraycopy(qkvAll, o + 2 * c, v, t * hs, hs);
            for (int j = 0; j < hs; j++) {
                kT[j * T + t] = qkvAll[o + c + j];
            }
        }
    }
}
