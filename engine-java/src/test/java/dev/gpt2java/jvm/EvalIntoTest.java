package dev.gpt2java.jvm;

import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Session#evalInto} and {@link Session#logits(int, float[])}: the same logits as the allocating
 * forms, written into the caller's array, and a decoding loop on them allocates no row of logits per
 * token (measured with the JVM's per-thread allocation counter, not a speed).
 */
class EvalIntoTest {

    static final int VOCAB = 50257; // GPT-2's: a row of logits is ~200 KB
    static Path file;

    @BeforeAll
    static void write() {
        file = TestSupport.randomModel("eval-into", "model", TestSupport.smallParams().withNVocab(VOCAB).withNLayer(1));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void evalIntoGivesTheLogitsOfEvalInTheCallersArray(Engine engine) {
        try (Gpt2Model m = Gpt2Model.load(file, ModelParams.defaults().withEngine(engine).withThreads(1));
             Session a = m.newSession(); Session b = m.newSession()) {
            // (not bit for bit on the Java engine: the Vector API sums lanes in another order before the JIT compiles it)
            float[] dst = new float[VOCAB];
            assertArrayEquals(a.eval(0, 1, 2, 3), b.evalInto(dst, 0, 1, 2, 3), 1e-5f);
            assertSame(dst, b.evalInto(dst, 0, 4));
            assertArrayEquals(a.eval(0, 4), dst, 1e-5f);
            float[] row = new float[VOCAB];
            assertSame(row, b.logits(0, row));
            assertArrayEquals(dst, row);
            assertEquals(4, b.seqLength(0));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aWrongDestinationIsRefusedBeforeAnythingIsAppended(Engine engine) {
        try (Gpt2Model m = Gpt2Model.load(file, ModelParams.defaults().withEngine(engine).withThreads(1));
             Session s = m.newSession()) {
            assertThrows(IllegalArgumentException.class, () -> s.evalInto(new float[VOCAB - 1], 0, 1));
            assertThrows(NullPointerException.class, () -> s.evalInto(null, 0, 1));
            assertEquals(0, s.seqLength(0));
            s.eval(0, 1);
            assertThrows(IllegalArgumentException.class, () -> s.logits(0, new float[3]));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void decodingWithEvalIntoAllocatesNoRowOfLogitsPerToken(Engine engine) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long row = (long) VOCAB * Float.BYTES;
        try (Gpt2Model m = Gpt2Model.load(file, ModelParams.defaults().withEngine(engine).withThreads(1));
             Session s = m.newSession(SessionParams.defaults().withNCells(64))) {
            float[] logits = new float[VOCAB];
            double perToken = Double.MAX_VALUE; // the least of the rounds: the JIT only gets better at it
            for (int round = 0; round < 40; round++) {
                s.clearAll();
                s.evalInto(logits, 0, 1);
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 60; i++) {
                    s.evalInto(logits, 0, (i * 7919) % VOCAB);
                }
                perToken = Math.min(perToken, (threads.getCurrentThreadAllocatedBytes() - before) / 60.0);
            }
            System.out.printf("%s engine: evalInto allocates %.0f bytes per token (a row is %d)%n", engine, perToken, row);
            assertTrue(perToken < row / 8.0, engine + ": " + perToken + " bytes per token");
        }
    }
}
