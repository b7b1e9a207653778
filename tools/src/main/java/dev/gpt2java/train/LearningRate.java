package dev.gpt2java.train;

/**
 * Linear warm-up to {@code max} over {@code warmup} steps, then a cosine decay to {@code min} at
 * step {@code total}; steps count from 0.
 */
record LearningRate(float max, float min, int warmup, int total) {

    LearningRate {
        if (!(max > 0) || !(min >= 0) || min > max) {
            throw new IllegalArgumentException("need 0 <= min lr <= max lr and max > 0, got " + min + ", " + max);
        }
        if (warmup < 0 || total < 1 || warmup >= total) {
            throw new IllegalArgumentException("need 0 <= warm-up < steps, got " + warmup + " and " + total);
        }
    }

    float at(int step) {
        if (step < warmup) {
            return max * (step + 1) / warmup;
        }
        double progress = Math.min(1.0, (double) (step - warmup) / Math.max(1, total - warmup));
        return (float) (min + 0.5 * (1 + Math.cos(Math.PI * progress)) * (max - min));
    }
}
