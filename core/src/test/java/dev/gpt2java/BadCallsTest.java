package dev.gpt2java;

import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Wrong calls fail with a clear Java exception and leave the session as it was. */
class BadCallsTest {

    static Gpt2Model model;
    static Path file;

    @BeforeAll
    static void load() {
        file = TestSupport.randomModel("bad-calls", "model", TestSupport.smallParams());
        model = Gpt2Model.load(file);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static <T extends Throwable> T assertRefused(Class<T> type, String mustMention, Executable call) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(mustMention),
                () -> "message '" + e.getMessage() + "' should mention '" + mustMention + "'");
        return e;
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRefused() {
        int n = model.nVocab();
        try (Session s = model.newSession()) {
            assertRefused(IllegalArgumentException.class, "token id -1", () -> s.eval(0, 1, -1));
            assertRefused(IllegalArgumentException.class, "token id " + n, () -> s.eval(0, n));
            assertRefused(IllegalArgumentException.class, "token id " + n, () -> s.eval(Batch.of(0, 1, n)));
            assertRefused(IllegalArgumentException.class, "token id", () -> model.tokenText(-1));
            assertRefused(IllegalArgumentException.class, "token id", () -> model.tokenBytes(n));
            assertRefused(IllegalArgumentException.class, "token id", () -> model.tokenType(n));
            assertEquals(0, s.seqLength(0), "nothing was appended");
        }
    }

    @Test
    void sequenceIdsOutsideTheSessionAreRefused() {
        try (Session s = model.newSession(SessionParams.defaults().withNSeqMax(2))) {
            assertRefused(IllegalArgumentException.class, "sequence id 2", () -> s.eval(2, 1));
            assertRefused(IllegalArgumentException.class, "sequence id -1", () -> s.eval(-1, 1));
            assertRefused(IllegalArgumentException.class, "sequence id 2", () -> s.eval(Batch.builder().add(1, 0, true).add(1, 2, true).build()));
            assertRefused(IllegalArgumentException.class, "sequence id 5", () -> s.seqLength(5));
            assertRefused(IllegalArgumentException.class, "destination sequence id 2", () -> s.seqCopy(0, 2));
            assertRefused(IllegalArgumentException.class, "sequence id -1", () -> s.seqClear(-1));
            assertRefused(IllegalArgumentException.class, "sequence id 3", () -> s.seqTruncate(3, 0));
        }
    }

    @Test
    void emptyAndOversizedBatchesAreRefused() {
        try (Session s = model.newSession(SessionParams.defaults().withNCells(32).withNBatch(8))) {
            assertEquals(8, s.params().nBatch());
            assertRefused(IllegalArgumentException.class, "no tokens", () -> s.eval(0));
            assertRefused(IllegalArgumentException.class, "1..8", () -> s.eval(0, new int[9]));
            Batch.Builder b = Batch.builder();
            for (int i = 0; i < 9; i++) {
                b.add(i, 0, false);
            }
            Batch nine = b.build();
            assertRefused(IllegalArgumentException.class, "1..8", () -> s.eval(nine));
            assertEquals(0, s.seqLength(0));
        }
    }

    @Test
    void positionsPastTheLearnedContextAreRefused() {
        int ctx = model.nCtxTrain();
        // one batch longer than the context (nBatch = nCells = nCtxTrain would refuse it first, so widen nCells)
        try (Session s = model.newSession(SessionParams.defaults().withNCells(2 * ctx).withNBatch(ctx + 1))) {
            assertRefused(IllegalArgumentException.class, "nCtxTrain", () -> s.eval(0, new int[ctx + 1]));
            assertEquals(0, s.seqLength(0));
        }
        try (Session s = model.newSession()) {
            s.eval(0, new int[ctx]);           // fills every learned position
            assertEquals(ctx, s.seqLength(0));
            assertRefused(IllegalArgumentException.class, "nCtxTrain", () -> s.eval(0, 1));
            assertEquals(ctx, s.seqLength(0));
        }
    }

    @Test
    void fullKvCacheIsReportedAndNothingIsAppended() {
        try (Session s = model.newSession(SessionParams.defaults().withNCells(8).withNBatch(8).withNSeqMax(2))) {
            float[] before = s.eval(0, 1, 2, 3, 4, 5, 6, 7, 8);
            Gpt2Exception e = assertThrows(Gpt2Exception.class, () -> s.eval(1, 9));
            assertEquals(Status.KV_FULL, e.status(), e.getMessage());
            assertEquals(8, s.seqLength(0));
            assertEquals(0, s.seqLength(1));
            assertEquals(8, s.kvUsedCells());
            // still usable: free cells and go on
            s.seqTruncate(0, 7);
            float[] again = s.eval(0, 8);
            assertArrayEquals(before, again, 1e-5f * TestSupport.maxAbs(before));
        }
    }

    @Test
    void negativeCountsAndTruncationPastTheEndAreRefused() {
        try (Session s = model.newSession()) {
            s.eval(0, 1, 2, 3);
            assertRefused(IllegalArgumentException.class, "nKeep must be in 0..3", () -> s.seqTruncate(0, 4));
            assertRefused(IllegalArgumentException.class, "nKeep must be in 0..3", () -> s.seqTruncate(0, -1));
            assertRefused(IllegalArgumentException.class, "threads", () -> s.setThreads(-1));
            assertEquals(3, s.seqLength(0));
        }
        assertRefused(IllegalArgumentException.class, "threads", () -> Gpt2.quantize(file, file, TensorType.F16, -1));
    }

    @Test
    void outputRowsAndCapturesOutOfRangeAreRefused() {
        try (Session s = model.newSession()) {
            assertRefused(IndexOutOfBoundsException.class, "output row 0", () -> s.logits(0));
            s.eval(0, 1, 2);
            assertEquals(1, s.nOutputs());
            assertRefused(IndexOutOfBoundsException.class, "output row 1", () -> s.logits(1));
            assertRefused(IndexOutOfBoundsException.class, "logits row", () -> s.logitsView().get(1, 0));
            assertRefused(IndexOutOfBoundsException.class, "token", () -> s.logitsView().get(0, model.nVocab()));
            assertRefused(IllegalStateException.class, "captureAttention", () -> s.attention(0));
            assertRefused(IllegalStateException.class, "captureHidden", () -> s.hidden(0));
        }
        try (Session s = model.newSession(SessionParams.defaults().withCaptureAttention(true).withCaptureHidden(true))) {
            s.eval(0, 1, 2);
            assertRefused(IndexOutOfBoundsException.class, "layer", () -> s.attention(model.nLayer()));
            assertRefused(IndexOutOfBoundsException.class, "hidden-state index", () -> s.hidden(model.nLayer() + 2));
            assertRefused(IndexOutOfBoundsException.class, "layer", () -> s.attention(-1));
        }
    }

    @Test
    void sessionParametersTheModelCannotMeetAreRefusedByLibgpt2() {
        // nBatch larger than the resolved nCells (n_ctx_train): only libgpt2 knows the model's context
        Gpt2Exception e = assertThrows(Gpt2Exception.class,
                () -> model.newSession(SessionParams.defaults().withNBatch(model.nCtxTrain() + 1)));
        assertTrue(e.nativeMessage().contains("n_batch"), e.getMessage());
    }

    @Test
    void missingModelFileIsAnIoErrorNamingTheFile() {
        Path missing = TestSupport.tmpDir("bad-calls").resolve("does-not-exist.gguf");
        Gpt2Exception e = assertThrows(Gpt2Exception.class, () -> Gpt2Model.load(missing));
        assertEquals(Status.IO, e.status());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
