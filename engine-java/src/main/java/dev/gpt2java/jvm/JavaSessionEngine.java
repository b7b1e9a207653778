package dev.gpt2java.jvm;



import dev.gpt2java.Gpt2Exception;
import dev.gpt2java.Intervention;
import dev.gpt2java.ModelShape;
import dev.gpt2java.SessionParams;
import dev.gpt2java.Status;
import dev.gpt2java.TensorType;
import dev.gpt2java.spi.AdapterEngine;
import dev.gpt2java.spi.SessionEngine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link JvmSession} behind a {@link Session}; a batch is one {@link JvmSession#evalBatch} (each
 * weight row read once for all its tokens, whatever their sequences). The KV cells are accounted as
 * libgpt2 does (a pool of nCells cells, shared by
 * {@link #seqCopy} until the sequences diverge, {@link Status#KV_FULL} when a batch needs more free
 * cells than there are); the Java cache itself holds a copy per sequence.
 */
final class JavaSessionEngine implements SessionEngine {

    private final JavaModelEngine modelEngine;
    private final JvmSession jvm;
    private final SessionParams params;
    private final int nVocab;
    private final int nHead;
    private final int nLayer;
    private final int nEmbd;

    // cell accounting, as libgpt2's KV cache: cell ids per sequence, reference counts per cell
    private final int[] refs;
    private final int[][] cells;     // [seq][0 .. nCellsOf[seq])
    private final int[] nCellsOf;
    private int used;
    private int freeHint;            // where the search for a free cell starts

    private int nOutputs;
    private boolean evaluated; // the last eval succeeded: its captures can be read

    JavaSessionEngine(JavaModelEngine modelEngine, SessionParams requested) {
        if (requested.kvType() != TensorType.F32) {
            throw new UnsupportedOperationException("the Java engine keeps an F32 KV cache only, not "
                    + requested.kvType() + " (use Engine.NATIVE)");
        }
        ModelShape shape = modelEngine.info().shape();
        this.nVocab = shape.nVocab();
        this.nHead = shape.nHead();
        this.nLayer = shape.nLayer();
        this.nEmbd = shape.nEmbd();
        int nCtxTrain = shape.nCtx();
        int nCells = requested.nCells() == 0 ? nCtxTrain : requested.nCells();
        int nBatch = requested.nBatch() == 0 ? Math.min(nCells, 512) : requested.nBatch();
        this.params = new SessionParams(nCells, requested.nSeqMax(), nBatch, requested.threads(), TensorType.F32,
                requested.captureAttention(), requested.captureHidden(), requested.flashAttn(), requested.matmul());
        int threads = requested.threads() == 0 ? modelEngine.threads() : requested.threads();
        this.jvm = modelEngine.jvmModel().newSession(JvmSession.Options.defaults()
                .withNCtx(Math.min(nCells, nCtxTrain))
                .withNSeqMax(requested.nSeqMax())
                .withThreads(Math.min(threads, Runtime.getRuntime().availableProcessors()))
                .withCaptureAttention(requested.captureAttention())
                .withCaptureHidden(requested.captureHidden()));
        this.modelEngine = modelEngine;
        this.refs = new int[nCells];
        this.cells = new int[requested.nSeqMax()][0];
        this.nCellsOf = new int[requested.nSeqMax()];
    }

    @Override
    public SessionParams params() {
        return params;
    }

    @Override
    public void close() {
        jvm.close();
    }

    @Override
    public void setThreads(int threads) {
        jvm.setThreads(Math.min(threads == 0 ? modelEngine.threads() : threads, Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public int eval(int[] tokens, int[] seqIds, boolean[] logits, int n) {
        nOutputs = 0;
        evaluated = false;
        if (refs.length - used < n) {
            throw new Gpt2Exception(Status.KV_FULL, "the KV cache has " + (refs.length - used) + " free cells of "
                    + refs.length + ", the batch needs " + n);
        }
        nOutputs = jvm.evalBatch(seqIds, tokens, logits, n);
        for (int i = 0; i < n; i++) {
            appendCells(seqIds[i], 1);
        }
        evaluated = true;
        return nOutputs;
    }

    /** Takes a free cell for the next token of {@code seq} (the caller checked that one is free). */
    private void appendCells(int seq, int m) {
        for (int k = 0; k < m; k++) {
            while (refs[freeHint] != 0) {
                freeHint = (freeHint + 1) % refs.length;
            }
            refs[freeHint] = 1;
            used++;
            if (nCellsOf[seq] == cells[seq].length) {
                cells[seq] = Arrays.copyOf(cells[seq], Math.max(16, 2 * cells[seq].length));
            }
            cells[seq][nCellsOf[seq]++] = freeHint;
        }
    }

    private void dropCells(int seq, int nKeep) {
        int[] c = cells[seq];
        for (int i = nKeep; i < nCellsOf[seq]; i++) {
            if (--refs[c[i]] == 0) {
                used--;
            }
        }
        nCellsOf[seq] = Math.min(nCellsOf[seq], nKeep);
    }

    @Override
    public void logitsInto(int row, float[] dst) {
        jvm.logits(row, dst);
    }

    @Override
    public int outputTokenIndex(int row) {
        return jvm.outputTokenIndex(row);
    }

    @Override
    public MemorySegment logits(int rows, Arena arena) {
        MemorySegment data = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1L, (long) rows * nVocab));
        float[] row = new float[nVocab];
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(jvm.logits(r, row), 0, data, ValueLayout.JAVA_FLOAT, (long) r * nVocab * Float.BYTES,
                    nVocab);
        }
        return data.asSlice(0, (long) rows * nVocab * Float.BYTES);
    }

    @Override
    public int seqLength(int seqId) {
        return jvm.seqLength(seqId);
    }

    @Override
    public void seqCopy(int src, int dst) {
        if (src == dst) {
            return;
        }
        jvm.seqCopy(src, dst);
        dropCells(dst, 0);
        for (int i = 0; i < nCellsOf[src]; i++) {
            refs[cells[src][i]]++;
        }
        cells[dst] = cells[src].clone();
        nCellsOf[dst] = nCellsOf[src];
    }

    @Override
    public void seqClear(int seqId) {
        if (seqId < 0) {
            for (int s = 0; s < cells.length; s++) {
                seqClear(s);
            }
            return;
        }
        jvm.seqClear(seqId);
        dropCells(seqId, 0);
    }

    @Override
    public void seqTruncate(int seqId, int nKeep) {
        jvm.seqTruncate(seqId, nKeep);
        dropCells(seqId, nKeep);
    }

    @Override
    public int kvUsedCells() {
        return used;
    }

    @Override
    public float[][][] attention(int layer) {
        if (!evaluated) {
            throw new IllegalStateException("nothing captured yet: no eval has succeeded on this session");
        }
        float[][][] a = jvm.attention(layer);
        float[][][] out = new float[nHead][][];
        for (int h = 0; h < nHead; h++) {
            out[h] = new float[a[h].length][];
            for (int q = 0; q < a[h].length; q++) {
                out[h][q] = a[h][q].clone();
            }
        }
        return out;
    }

    @Override
    public float[][] hidden(int index) {
        return copyOfRows(() -> jvm.hidden(index));
    }

    @Override
    public float[][] headOutputs(int layer) {
        return copyOfRows(() -> jvm.headOutputs(layer));
    }

    /** A copy of a capture of the last eval, [token][embd] (the session keeps its own). */
    private float[][] copyOfRows(java.util.function.Supplier<float[][]> capture) {
        if (!evaluated) {
            throw new IllegalStateException("nothing captured yet: no eval has succeeded on this session");
        }
        float[][] h = capture.get();
        float[][] out = new float[h.length][];
        for (int t = 0; t < h.length; t++) {
            out[t] = h[t].clone();
        }
        return out;
    }

    @Override
    public void setInterventions(List<Intervention> interventions) {
        jvm.setInterventions(interventions);
    }

    @Override
    public void setAdapters(List<AdapterEngine> adapters, float[] scales) {
        jvm.setAdapters(adapters.stream().map(a -> ((JavaAdapterEngine) a).adapter()).toList(), scales);
    }
}
