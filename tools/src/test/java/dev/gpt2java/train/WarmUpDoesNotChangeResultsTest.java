package dev.gpt2java.train;

import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pure-Java engine and the trainer give the same bits on their first, interpreted call as on their
 * last, C2-compiled one. The Vector API's {@code reduceLanes(ADD)}, {@code EXP} and {@code TANH} do not
 * (their Java fallback and C2's intrinsics round differently), which once made a resumed training run
 * end one ulp away from an uninterrupted one; {@code dev.gpt2java.internal.VectorMath} replaces them.
 *
 * <p>{@link WarmUpProbe} runs in a child JVM with C2 only, a low compile threshold and compilation in the
 * foreground, so that the same computation runs interpreted first and compiled later.
 */
class WarmUpDoesNotChangeResultsTest {

    @Test
    void theJavaEngineAndTheTrainerGiveTheSameBitsBeforeAndAfterC2CompilesThem()
            throws IOException, InterruptedException {
        // C2 only, compiling after 100 calls, in the foreground: interpreted first, compiled soon after
        List<String> cmd = new ArrayList<>(TestSupport.childJvm(WarmUpProbe.class, "--add-modules",
                "jdk.incubator.vector", "-XX:-TieredCompilation", "-XX:CompileThreshold=100", "-Xbatch"));
        cmd.add(TestSupport.fixturesDir().toString());
        cmd.add(TestSupport.tmpDir("warm-up-probe").toString());
        cmd.add("200");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        System.out.print("WarmUpProbe:\n" + out);
        List<String> ours = List.of("VectorMath.sum", "VectorMath.exp", "VectorMath.geluTanh", "java-engine-f32",
                "java-engine-f16", "java-engine-q8_0", "java-engine-q4_0", "trainer");
        for (String name : ours) {
            String line = out.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + name + " in:\n" + out));
            assertTrue(line.startsWith(name + " same "), line);
        }
    }
}
