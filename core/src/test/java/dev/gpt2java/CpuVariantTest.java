package dev.gpt2java;

import dev.gpt2java.testsupport.TestSupport;
import dev.gpt2java.testsupport.Npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The CPU variant libgpt2 computes with. A release build (CMake preset {@code release}) carries ggml's CPU
 * backend once per instruction set and picks the best this CPU runs; env {@code GPT2_CPU_VARIANT} forces
 * one, and a lower one computes the same logits (HF's, within the parity bound). A variant that does not
 * exist, or that this CPU cannot run, is refused with a Gpt2Exception before anything runs it; so is
 * GPT2_CPU_VARIANT on a build with one CPU backend compiled in (the default development build). The
 * variant is picked once per process, so each forced variant runs in a child JVM.
 */
class CpuVariantTest {

    static final String ENV = "GPT2_CPU_VARIANT";
    static final String FIXTURE = "tiny-odd-heads";

    record Run(int exitCode, String output, float[] logits) {
    }

    /** VariantProbe in a child JVM with GPT2_CPU_VARIANT = variant (null: unset), on this JVM's libgpt2. */
    static Run probe(String variant) throws IOException, InterruptedException {
        Path out = TestSupport.tmpDir("cpu-variant").resolve("logits-" + variant + "-" + System.nanoTime() + ".f32");
        List<String> cmd = new ArrayList<>(TestSupport.childJvm(VariantProbe.class));
        cmd.add(TestSupport.fixture(FIXTURE, "model-f32.gguf").toString());
        cmd.add(TestSupport.fixture(FIXTURE, "prompt.npy").toString());
        cmd.add(out.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(ENV);
        if (variant != null) {
            pb.environment().put(ENV, variant);
        }
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        float[] logits = null;
        if (code == 0) {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
            logits = new float[b.remaining() / Float.BYTES];
            b.asFloatBuffer().get(logits);
        }
        return new Run(code, text, logits);
    }

    /** The variants of gpt2_system_info's "CPU variant:" line with their scores (0: this CPU cannot run it). */
    static Map<String, Integer> scores(String info) {
        Matcher line = Pattern.compile("(?m)^CPU variant: .*; scores: (.*)\\)$").matcher(info);
        assertTrue(line.find(), "no scores in:\n" + info);
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Za-z0-9_.]+) (-?\\d+)").matcher(line.group(1));
        while (m.find()) {
            out.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return out;
    }

    static boolean releaseBuild() {
        return !Gpt2.cpuVariant().isEmpty();
    }

    @Test
    void theLibraryReportsTheCpuVariantItRuns() {
        String variant = Gpt2.cpuVariant();
        String info = Gpt2.systemInfo();
        assertTrue(info.lines().anyMatch(l -> l.startsWith("devices: CPU")), info);
        assertTrue(info.lines().anyMatch(l -> l.startsWith("CPU backend features: ")), info);
        if (variant.isEmpty()) {
            assertTrue(info.contains("CPU variant: none (one CPU backend compiled into libgpt2)"), info);
        } else {
            assertTrue(info.contains("CPU variant: " + variant + " ("), info);
            Map<String, Integer> scores = scores(info);
            int best = scores.values().stream().max(Integer::compare).orElseThrow();
            assertEquals(best, scores.get(variant), "the variant picked has the best score: " + scores);
            assertTrue(best > 0, info);
        }
        try (Gpt2Model m = Gpt2Model.load(TestSupport.fixture(FIXTURE, "model-f32.gguf"),
                ModelParams.defaults().withBackend(Backend.CPU))) {
            assertEquals("CPU", m.backendName());
        }
    }

    @Test
    void aVariantThatDoesNotExistIsRefusedWithAClearException() throws Exception {
        Run r = probe("no-such-variant");
        assertEquals(5, r.exitCode(), r.output());
        assertTrue(r.output().contains("Gpt2Exception UNSUPPORTED"), r.output());
        assertTrue(r.output().contains(ENV + "=no-such-variant"), r.output());
        assertTrue(r.output().contains(releaseBuild() ? "no such CPU variant in " : "one CPU backend compiled in"),
                r.output());
        assertTrue(r.output().contains("variant \n") || r.output().contains("variant \r\n"),
                "no variant is reported when none could be loaded: " + r.output());
    }

    @Test
    void aVariantThisCpuCannotRunIsRefusedBeforeItRuns() throws Exception {
        assumeTrue(releaseBuild(), "only a release build (CMake preset release) has CPU variants");
        Map<String, Integer> scores = scores(Gpt2.systemInfo());
        String unsupported = scores.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        assumeTrue(unsupported != null, "this CPU runs every variant: " + scores);
        Run r = probe(unsupported);
        assertEquals(5, r.exitCode(), r.output());
        assertTrue(r.output().contains(ENV + "=" + unsupported + ": this CPU cannot run it"), r.output());
    }

    @Test
    void aForcedLowerVariantComputesTheSameLogits() throws Exception {
        assumeTrue(releaseBuild(), "only a release build (CMake preset release) has CPU variants");
        Map<String, Integer> scores = scores(Gpt2.systemInfo());
        String picked = Gpt2.cpuVariant();
        String lowest = scores.entrySet().stream().filter(e -> e.getValue() > 0)
                .min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertNotEquals(picked, lowest, "this CPU's best variant is already the lowest: nothing to compare " + scores);

        Run best = probe(null);
        Run low = probe(lowest);
        assertEquals(0, best.exitCode(), best.output());
        assertEquals(0, low.exitCode(), low.output());
        assertTrue(best.output().contains("variant " + picked + "\n"), best.output());
        assertTrue(low.output().contains("variant " + lowest + "\n"), low.output());

        Npy hf = Npy.read(TestSupport.fixture(FIXTURE, "logits.npy"));
        int nPos = hf.shape()[0];
        int nVocab = hf.shape()[1];
        HuggingFaceParityTest.assertMatches(FIXTURE + " f32 " + picked, best.logits(), hf.floats(), nPos, nVocab,
                HuggingFaceParityTest.F32_BOUND);
        HuggingFaceParityTest.assertMatches(FIXTURE + " f32 " + lowest, low.logits(), hf.floats(), nPos, nVocab,
                HuggingFaceParityTest.F32_BOUND);
        double between = TestSupport.relErr(low.logits(), best.logits());
        System.out.printf("CPU variants %s vs %s: max|diff|/max|logit| = %.3g (bound %.1g)%n", lowest, picked, between,
                HuggingFaceParityTest.F32_BOUND);
        assertTrue(between <= HuggingFaceParityTest.F32_BOUND, lowest + " vs " + picked + ": " + between);
    }
}
