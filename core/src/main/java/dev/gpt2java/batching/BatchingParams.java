package dev.gpt2java.batching;

import static dev.gpt2java.internal.Checks.require;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BatchingEngine} is sized.
 *
 * @param slots          sequences generated at once, 1..256; requests beyond them wait in the queue
 * @param nCtxPerSlot    KV cells of each slot (prompt + generated tokens of one request), 0: the model's context
 * @param threads        threads of the one compute pool, 0: the machine's cores; the engine takes one instead
 *                       while one is faster (a machine whose cores other work holds: {@code ThreadChooser})
 * @param queueCapacity  requests waiting for a slot, 0..; one more is refused ({@link QueueFullException})
 * @param prefillChunk   prompt tokens evaluated per step, at most, beside the decoding sequences' one token each,
 *                       1..; a long prompt takes several steps, so running streams keep going
 * @param defaultTimeout a request's deadline from its submission when it gives none; {@link Duration#ZERO}: none
 */
public record BatchingParams(int slots, int nCtxPerSlot, int threads, int queueCapacity, int prefillChunk,
                             Duration defaultTimeout) {

    public BatchingParams {
        require(slots >= 1 && slots <= 256, "slots must be in 1..256, was " + slots);
        require(nCtxPerSlot >= 0, "nCtxPerSlot must be >= 0 (0: the model's context), was " + nCtxPerSlot);
        require(threads >= 0, "threads must be >= 0 (0: the machine's cores), was " + threads);
        require(queueCapacity >= 0, "queueCapacity must be >= 0, was " + queueCapacity);
        require(prefillChunk >= 1, "prefillChunk must be >= 1, was " + prefillChunk);
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        require(!defaultTimeout.isNegative(), "defaultTimeout must be >= 0 (0: none), was " + defaultTimeout);
    }

    /** 4 slots of the model's context, the machine's cores, 64 queued, chunks of 64 prompt tokens, no timeout. */
    public static BatchingParams defaults() {
        return new BatchingParams(4, 0, 0, 64, 64, Duration.ZERO);
    }

    public BatchingParams withSlots(int slots) {
        return new BatchingParams(slots, nCtxPerSlot, threads, queueCapacity, prefillChunk, defaultTimeout);
    }

    public BatchingParams withNCtxPerSlot(int nCtxPerSlot) {
        return new BatchingParams(slots, nCtxPerSlot, threads, queueCapacity, prefillChunk, defaultTimeout);
    }

    public BatchingParams withThreads(int threads) {
        return new BatchingParams(slots, nCtxPerSlot, threads, queueCapacity, prefillChunk, defaultTimeout);
    }

    public BatchingParams withQueueCapacity(int queueCapacity) {
        return new BatchingParams(slots, nCtxPerSlot, threads, queueCapacity, prefillChunk, defaultTimeout);
    }

    public BatchingParams withPrefillChunk(int prefillChunk) {
        return new BatchingParams(slots, nCtxPerSlot, threads, queueCapacity, prefillChunk, defaultTimeout);
    }

    public BatchingParams withDefaultTimeout(Duration defaultTimeout) {
        return new BatchingParams(slots, nCtxPerSlot, threads, queueCapacity, prefillChunk, defaultTimeout);
    }
}
