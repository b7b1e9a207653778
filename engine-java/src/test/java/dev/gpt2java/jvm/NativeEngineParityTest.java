package dev.gpt2java.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpt2java.Backend;
import dev.gpt2java.Batch;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.TensorType;
import dev.gpt2java.testsupport.TestSupport;

/**
 * On the same GGUF file the JVM engine and the native engine (libgpt2 on ggml, exact GELU, F32 KV
 * cache, CPU) agree: logits at all 64 positions within a bound per weight type, and the greedy
 * continuation of 16 tokens is the same. The JVM engine multiplies the stored weights with F32
 * activations; ggml rounds the activations to Q8_0 blocks before a Q8_0/Q4_0 matmul (and may round
 * them to F16 for an F16 one), which is most of the difference.
 */
class NativeEngineParityTest {

    /** Bounds on max|jvm - native| / max|native|, ~3x the worst measured (see the report in the test output). */
    static double bound(String type) {
        return switch (type) {
            case "f32" -> 1e-4;
            case "f16" -> 5e-3;
            case "q8_0" -> 6e-2;
            case "q4_0" -> 1.5e-1;
            default -> throw new IllegalArgumentException(type);
        };
    }

    static Stream<Arguments> modelsAndTypes() {
        return TestSupport.pairs(Fixtures.MODELS, List.of("f32", "f16", "q8_0", "q4_0"));
    }

    static Gpt2Model loadNative(Path f) {
        return Gpt2Model.load(f, ModelParams.defaults().withBackend(Backend.CPU).withThreads(2));
    }

    static SessionParams nativeSession(int n) {
        return SessionParams.defaults().withNCells(128).withNBatch(n).withKvType(TensorType.F32);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsAndTypes")
    void logitsMatchTheNativeEngineOnTheSameFile(String model, String type) {
        int[] prompt = Fixtures.prompt(model);
        Path f = Fixtures.file(model, "model-" + type + ".gguf");
        float[] nat;
        try (Gpt2Model nm = loadNative(f); Session ns = nm.newSession(nativeSession(prompt.length))) {
            ns.eval(Batch.builder().addAllLogits(0, prompt).build());
            nat = ns.logitsView().toArray();
        }
        try (JvmModel m = JvmModel.load(f); JvmSession s = m.newSession(Fixtures.options(true))) {
            float[] ours = Fixtures.flatten(s.evalAll(0, prompt));
            double err = Fixtures.relErr(ours, nat);
            int agree = 0;
            int V = m.hparams().nVocab();
            for (int t = 0; t < prompt.length; t++) {
                agree += Kernels.argmax(ours, t * V, V) == Kernels.argmax(nat, t * V, V) ? 1 : 0;
            }
            System.out.printf("jvm vs native %-15s %-5s max|jvm-native|/max|native| = %.3g (bound %.1g), argmax equal %d/%d%n",
                    model, type, err, bound(type), agree, prompt.length);
            assertTrue(err <= bound(type), model + " " + type + ": " + err + " > " + bound(type));
        }
    }

    /**
     * F32 and F16 only: with Q8_0/Q4_0 weights ggml also quantizes the activations, and a close call
     * can flip (measured: small-untied q8_0 diverges at the 4th token; the other three quantized cases
     * agree on all 16). The quantized logits are held by the bound above instead.
     */
    static Stream<Arguments> modelsAndFloatTypes() {
        return modelsAndTypes().filter(a -> ((String) a.get()[1]).startsWith("f"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsAndFloatTypes")
    void greedyContinuationOf16TokensEqualsTheNativeEngines(String model, String type) {
        int[] prompt = Fixtures.prompt(model);
        Path f = Fixtures.file(model, "model-" + type + ".gguf");
        int[] nat = new int[16];
        try (Gpt2Model nm = loadNative(f); Session ns = nm.newSession(nativeSession(prompt.length))) {
            float[] l = ns.eval(0, prompt);
            for (int i = 0; i < nat.length; i++) {
                nat[i] = Kernels.argmax(l, 0, l.length);
                l = ns.eval(0, nat[i]);
            }
        }
        int[] ours = new int[16];
        try (JvmModel m = JvmModel.load(f); JvmSession s = m.newSession(Fixtures.options(true))) {
            float[] l = s.eval(0, prompt);
            for (int i = 0; i < ours.length; i++) {
                ours[i] = Kernels.argmax(l, 0, l.length);
                l = s.eval(0, ours[i]);
            }
        }
        System.out.printf("jvm vs native greedy %-15s %-5s jvm %s native %s%n", model, type,
                Arrays.toString(ours), Arrays.toString(nat));
        assertArrayEquals(nat, ours, model + " " + type);
    }
}
