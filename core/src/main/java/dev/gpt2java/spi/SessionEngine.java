package dev.gpt2java.spi;

import dev.gpt2java.Intervention;
import dev.gpt2java.SessionParams;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The engine behind a {@link dev.gpt2java.Session}. Arguments are checked by Session (synchronized), so an
 * engine sees valid ids, in-range positions and batch sizes only.
 */
public interface SessionEngine {

    /** The parameters in force, defaults resolved. */
    SessionParams params();

    void setThreads(int threads);

    /** Evaluates a batch ({@code n} tokens); returns the number of output rows. */
    int eval(int[] tokens, int[] seqIds, boolean[] logits, int n);

    /** Copies row {@code row} of the last eval's logits (row < the count eval returned) into dst (nVocab floats). */
    void logitsInto(int row, float[] dst);

    int outputTokenIndex(int row);

    /**
     * The logits of the last eval, {@code rows × nVocab} floats, row-major: the engine's own memory
     * where it can (valid until the next eval), else a copy allocated in {@code arena}.
     */
    MemorySegment logits(int rows, Arena arena);

    int seqLength(int seqId);

    void seqCopy(int src, int dst);

    /** Empties {@code seqId}, or all sequences for -1. */
    void seqClear(int seqId);

    void seqTruncate(int seqId, int nKeep);

    int kvUsedCells();

    float[][][] attention(int layer);

    float[][] hidden(int index);

    /** The heads' outputs of block {@code layer}, [token][embd] (checked by Session). */
    float[][] headOutputs(int layer);

    /** Replaces the interventions of the following evals (checked against the model by Session). */
    void setInterventions(List<Intervention> interventions);

    /**
     * Replaces the LoRA adapters of the following evals: {@code adapters.get(i)} (this engine's, for this
     * session's model, each once) at {@code scales[i]} (finite); checked by Session.
     */
    void setAdapters(List<AdapterEngine> adapters, float[] scales);

    void close();
}
