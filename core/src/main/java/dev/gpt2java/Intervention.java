package dev.gpt2java;

import dev.gpt2java.internal.ffi.gpt2_h;

import java.util.Objects;

/**
 * A rewrite of one activation in the following evals of a {@link Session} ({@link Session#setInterventions}):
 * at every token of a batch whose position in its sequence is {@code position} (-1: every token),
 * {@code activation = scale * activation + values} (no values: nothing added). The lecture's
 * interventions: zero- or mean-ablating a head, and patching an activation from one prompt's run into
 * another's ({@code gpt2.h}, "Interventions"; both engines compute the same).
 *
 * @param site     which activation
 * @param layer    {@link Site#RESIDUAL}: the point of {@link Session#hidden} (0: the embeddings, block 0's
 *                 input; l: the output of block l, 1..nLayer); {@link Site#HEAD}: the block, 0..nLayer-1
 * @param head     {@link Site#HEAD}: the head, 0..nHead-1; {@link Site#RESIDUAL}: -1
 * @param position the position in the sequence, or -1 for every position
 * @param scale    what the activation is multiplied by (finite)
 * @param values   what is added after: nEmbd values (RESIDUAL) or nEmbd/nHead (HEAD), finite; null for none.
 *                 Copied.
 */
public record Intervention(Site site, int layer, int head, int position, float scale, float[] values) {

    /** Where an intervention acts. */
    public enum Site {
        /** The residual stream at a point of {@link Session#hidden} (its {@code index}, 0..nLayer). */
        RESIDUAL,
        /** One attention head's output, before the block's output projection ({@link Session#headOutputs}). */
        HEAD;

        /** gpt2.h's {@code enum gpt2_site}. */
        public int code() {
            return switch (this) {
                case RESIDUAL -> gpt2_h.GPT2_SITE_RESIDUAL();
                case HEAD -> gpt2_h.GPT2_SITE_HEAD();
            };
        }
    }

    public Intervention {
        Objects.requireNonNull(site, "site");
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, was " + layer);
        }
        if (site == Site.HEAD ? head < 0 : head != -1) {
            throw new IllegalArgumentException(site == Site.HEAD ? "head must be >= 0, was " + head
                    : "head must be -1 for the residual stream, was " + head);
        }
        if (position < -1) {
            throw new IllegalArgumentException("position must be >= 0, or -1 for every position; was " + position);
        }
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be finite, was " + scale);
        }
        if (values != null) {
            values = values.clone();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new IllegalArgumentException("values[" + i + "] must be finite, was " + values[i]);
                }
            }
        }
    }

    /** The values added, or null (a copy: the record's own array stays as made). */
    @Override
    public float[] values() {
        return values == null ? null : values.clone();
    }

    /** Head {@code head} of block {@code layer} outputs zeros, at every position. */
    public static Intervention zeroHead(int layer, int head) {
        return new Intervention(Site.HEAD, layer, head, -1, 0f, null);
    }

    /** Head {@code head} of block {@code layer} outputs {@code mean} (its mean output over some text), at every position. */
    public static Intervention meanHead(int layer, int head, float[] mean) {
        return new Intervention(Site.HEAD, layer, head, -1, 0f, Objects.requireNonNull(mean, "mean"));
    }

    /** The head's output at {@code position} becomes {@code values} (another run's, at the same site). */
    public static Intervention patchHead(int layer, int head, int position, float[] values) {
        return new Intervention(Site.HEAD, layer, head, position, 0f, Objects.requireNonNull(values, "values"));
    }

    /** The residual stream at point {@code index} and {@code position} becomes {@code values}. */
    public static Intervention patchResidual(int index, int position, float[] values) {
        return new Intervention(Site.RESIDUAL, index, -1, position, 0f, Objects.requireNonNull(values, "values"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Intervention i && site == i.site && layer == i.layer && head == i.head && position == i.position
                && Float.compare(scale, i.scale) == 0 && java.util.Arrays.equals(values, i.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(site, layer, head, position, scale, java.util.Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "Intervention[" + site + " " + layer + (site == Site.HEAD ? "." + head : "") + " at "
                + (position < 0 ? "every position" : "position " + position) + ": x" + scale
                + (values == null ? "" : " + " + values.length + " values") + "]";
    }
}
