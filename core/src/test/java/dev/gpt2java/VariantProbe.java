package dev.gpt2java;

import dev.gpt2java.testsupport.Npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Main class run in child JVMs by CpuVariantTest (the CPU variant is picked once per process, from the
 * environment): prints the variant libgpt2 runs, then evaluates the prompt {@code args[1]} (.npy) on
 * the model {@code args[0]} with the exactness settings of the parity tests and writes the logits of
 * every position to {@code args[2]} (float32, little-endian). A refused load prints the exception and
 * exits with 5.
 */
public final class VariantProbe {

    private VariantProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("variant " + Gpt2.cpuVariant());
        int[] prompt = Npy.read(Path.of(args[1])).ints();
        try (Gpt2Model m = Gpt2Model.load(Path.of(args[0]),
                     ModelParams.defaults().withGelu(Gelu.EXACT).withBackend(Backend.CPU));
             Session s = m.newSession(HuggingFaceParityTest.exactSession(prompt.length, false))) {
            float[] logits = HuggingFaceParityTest.allLogits(s, prompt);
            ByteBuffer out = ByteBuffer.allocate(logits.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            out.asFloatBuffer().put(logits);
            Files.write(Path.of(args[2]), out.array());
            System.out.println("logits " + logits.length);
        } catch (Gpt2Exception e) {
            System.out.println("Gpt2Exception " + e.status() + ": " + e.getMessage());
            System.exit(5);
        }
    }
}
