package dev.gpt2java.train;

/**
 * AdamW as PyTorch's {@code torch.optim.AdamW} computes it (decoupled weight decay applied first,
 * bias-corrected moments), step by step in the same order, over the flat parameter layout. Weight
 * decay applies to matrices and embeddings only ({@link Parameters.Tensor#decays()}).
 */
final class AdamW {

    final float beta1;
    final float beta2;
    final float eps;
    final float weightDecay;
    final float[] m;
    final float[] v;
    private long step;

    AdamW(int count, float beta1, float beta2, float eps, float weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new float[count];
        this.v = new float[count];
    }

    /** Number of updates made (PyTorch's {@code state['step']}). */
    long step() {
        return step;
    }

    void restore(long step, float[] m, float[] v) {
        if (m.length != this.m.length || v.length != this.v.length) {
            throw new IllegalArgumentException("optimizer state of " + m.length + " values, expected " + this.m.length);
        }
        this.step = step;
        System.arraycopy(m, 0, this.m, 0, m.length);
        System.arraycopy(v, 0, this.v, 0, v.length);
    }

    /** One update of params by grads at learning rate lr. */
    void update(Parameters layout, float[] params, float[] grads, float lr) {
        update(layout.tensors(), params, grads, lr);
    }

    /** One update of params (laid out as {@code tensors}) by grads at learning rate lr. */
    void update(java.util.List<Parameters.Tensor> tensors, float[] params, float[] grads, float lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        for (Parameters.Tensor t : tensors) {
            float decay = t.decays() ? 1f - lr * weightDecay : 1f;
            for (int i = t.offset(), end = t.offset() + t.size(); i < end; i++) {
                float g = grads[i];
                float p = params[i] * decay;                             // param.mul_(1 - lr * wd)
                m[i] += (g - m[i]) * (1f - beta1);                       // exp_avg.lerp_(grad, 1 - beta1)
                v[i] = v[i] * beta2 + (1f - beta2) * g * g;              // exp_avg_sq.mul_(b2).addcmul_(g, g, 1 - b2)
                float denom = (float) Math.sqrt(v[i]) / bc2Sqrt + eps;   // (exp_avg_sq.sqrt() / bc2_sqrt).add_(eps)
                params[i] = p - stepSize * m[i] / denom;                 // param.addcdiv_(exp_avg, denom, -step_size)
            }
        }
    }

    /**
     * Scales grads so their global L2 norm is at most maxNorm, as torch.nn.utils.clip_grad_norm_; returns
     * the norm before clipping.
     */
    static float clipGradNorm(float[] grads, float maxNorm) {
        double sq = 0;
        for (float g : grads) {
            sq += (double) g * g;
        }
        float norm = (float) Math.sqrt(sq);
        float coef = Math.min(1f, maxNorm / (norm + 1e-6f));
        if (coef < 1f) {
            for (int i = 0; i < grads.length; i++) {
                grads[i] *= coef;
            }
        }
        return norm;
    }
}
