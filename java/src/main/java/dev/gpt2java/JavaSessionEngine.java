package dev.gpt2java;

import dev.gpt2java.jvm.JvmSession;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link JvmSession} behind a {@link Session}. A batch is evaluated one sequence after the other,
 * in the order of each sequence's first token in the batch; the outputs and captures are then put
 * back in batch order. The KV cells are accounted as libgpt2 does (a pool of nCells cells, shared by
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
    private final int[][] cells;
    private int used;

    private float[][] outputs = new float[0][];
    private int[] outputIndex = new int[0];
    private float[][][][] attention; // [layer][head][token][key]
    private float[][][] hidden;      // [index][token][embd]

    JavaSessionEngine(JavaModelEngine modelEngine, SessionParams requested) {
        if (requested.kvType() != TensorType.F32) {
            throw new UnsupportedOperationException("the Java engine keeps an F32 KV cache only, not "
                    + requested.kvType() + " (use Engine.NATIVE)");
        }
        this.nVocab = modelEngine.nVocab();
        this.nHead = modelEngine.nHead();
        this.nLayer = modelEngine.nLayer();
        this.nEmbd = modelEngine.nEmbd();
        int nCtxTrain = modelEngine.nCtxTrain();
        int nCells = requested.nCells() == 0 ? nCtxTrain : requested.nCells();
        int nBatch = requested.nBatch() == 0 ? Math.min(nCells, 512) : requested.nBatch();
        this.params = new SessionParams(nCells, requested.nSeqMax(), nBatch, requested.threads(), TensorType.F32,
                requested.captureAttention(), requested.captureHidden());
        int threads = requested.threads() == 0 ? modelEngine.threads() : requested.threads();
        modelEngine.retain();
        try {
            this.jvm = modelEngine.jvmModel().newSession(JvmSession.Options.defaults()
                    .withNCtx(Math.min(nCells, nCtxTrain))
                    .withNSeqMax(requested.nSeqMax())
                    .withThreads(Math.min(threads, 512))
                    .withCaptureAttention(requested.captureAttention())
                    .withCaptureHidden(requested.captureHidden()));
        } catch (RuntimeException e) {
            modelEngine.release();
            throw e;
        }
        this.modelEngine = modelEngine;
        this.refs = new int[nCells];
        this.cells = new int[requested.nSeqMax()][0];
    }

    @Override
    public SessionParams params() {
        return params;
    }

    @Override
    public void close() {
        jvm.close();
        modelEngine.release();
    }

    @Override
    public void setThreads(int threads) {
        jvm.setThreads(Math.min(threads == 0 ? modelEngine.threads() : threads, 512));
    }

    @Override
    public int eval(int[] tokens, int[] seqIds, boolean[] logits, int n) {
        outputs = new float[0][];
        outputIndex = new int[0];
        attention = null;
        hidden = null;
        if (refs.length - used < n) {
            throw new Gpt2Exception(Status.KV_FULL, "the KV cache has " + (refs.length - used) + " free cells of "
                    + refs.length + ", the batch needs " + n);
        }
        // the batch per sequence, in the order of first appearance
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(seqIds[i], k -> new ArrayList<>()).add(i);
        }
        int nKeys = 0;
        for (Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
            nKeys = Math.max(nKeys, jvm.seqLength(g.getKey()) + g.getValue().size());
        }
        float[][] rows = new float[n][];
        float[][][][] att = params.captureAttention() ? new float[nLayer][nHead][n][nKeys] : null;
        float[][][] hid = params.captureHidden() ? new float[nLayer + 2][n][] : null;
        for (Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
            int seq = g.getKey();
            List<Integer> idx = g.getValue();
            int m = idx.size();
            int[] toks = new int[m];
            boolean[] want = new boolean[m];
            for (int j = 0; j < m; j++) {
                toks[j] = tokens[idx.get(j)];
                want[j] = logits[idx.get(j)];
            }
            float[][] out = jvm.evalRows(seq, toks, want);
            appendCells(seq, m);
            for (int j = 0, o = 0; j < m; j++) {
                if (want[j]) {
                    rows[idx.get(j)] = out[o++];
                }
            }
            if (att != null) {
                for (int il = 0; il < nLayer; il++) {
                    float[][][] a = jvm.attention(il); // [head][m][K]
                    for (int h = 0; h < nHead; h++) {
                        for (int j = 0; j < m; j++) {
                            System.arraycopy(a[h][j], 0, att[il][h][idx.get(j)], 0, a[h][j].length);
                        }
                    }
                }
            }
            if (hid != null) {
                for (int ih = 0; ih < nLayer + 2; ih++) {
                    float[][] x = jvm.hidden(ih);
                    for (int j = 0; j < m; j++) {
                        hid[ih][idx.get(j)] = x[j];
                    }
                }
            }
        }
        int nOut = 0;
        for (int i = 0; i < n; i++) {
            if (rows[i] != null) {
                nOut++;
            }
        }
        float[][] o = new float[nOut][];
        int[] oi = new int[nOut];
        for (int i = 0, k = 0; i < n; i++) {
            if (rows[i] != null) {
                o[k] = rows[i];
                oi[k++] = i;
            }
        }
        outputs = o;
        outputIndex = oi;
        attention = att;
        hidden = hid;
        return nOut;
    }

    private void appendCells(int seq, int m) {
        int[] c = Arrays.copyOf(cells[seq], cells[seq].length + m);
        int k = cells[seq].length;
        for (int cell = 0; cell < refs.length && k < c.length; cell++) {
            if (refs[cell] == 0) {
                refs[cell] = 1;
                used++;
                c[k++] = cell;
            }
        }
        cells[seq] = c;
    }

    private void dropCells(int seq, int nKeep) {
        int[] c = cells[seq];
        for (int i = nKeep; i < c.length; i++) {
            if (--refs[c[i]] == 0) {
                used--;
            }
        }
        cells[seq] = Arrays.copyOf(c, nKeep);
    }

    @Override
    public void logitsInto(int row, float[] dst) {
        System.arraycopy(outputs[row], 0, dst, 0, nVocab);
    }

    @Override
    public int outputTokenIndex(int row) {
        return outputIndex[row];
    }

    @Override
    public LogitsView logitsView(int rows) {
        Arena arena = Arena.ofShared();
        MemorySegment data = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1L, (long) rows * nVocab));
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(outputs[r], 0, data, ValueLayout.JAVA_FLOAT, (long) r * nVocab * Float.BYTES, nVocab);
        }
        return new LogitsView(data.asSlice(0, (long) rows * nVocab * Float.BYTES), arena, rows, nVocab,
                Arrays.copyOf(outputIndex, rows));
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
        for (int c : cells[src]) {
            refs[c]++;
        }
        cells[dst] = cells[src].clone();
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
        if (attention == null) {
            return new float[nHead][0][0];
        }
        float[][][] a = attention[layer];
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
        if (hidden == null) {
            return new float[0][];
        }
        float[][] h = hidden[index];
        float[][] out = new float[h.length][];
        for (int t = 0; t < h.length; t++) {
            out[t] = h[t].clone();
        }
        return out;
    }
}
