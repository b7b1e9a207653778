package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.jvm.VectorMath;
import dev.gpt2java.tokenizer.Vocabulary;
import dev.gpt2java.train.TrainParams;
import dev.gpt2java.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Child-JVM side of {@link WarmUpDoesNotChangeResultsTest}: computes the same things again and again,
 * from the first (interpreted) run to the last (compiled), and prints one line per computation:
 * {@code <name> same <sha256>} when every run gave the same bits, {@code <name> changed <n> digests}
 * otherwise. Lines for the Vector API's own {@code reduceLanes(ADD)} and {@code EXP} show that the JVM
 * it runs in does compile them differently (for the reader; the test does not rely on them).
 *
 * <p>Arguments: fixtures folder, a scratch folder, the number of repetitions.
 */
public final class WarmUpProbe {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    public static void main(String[] args) throws Exception {
        Path fixtures = Path.of(args[0]);
        Path scratch = Path.of(args[1]);
        int reps = Integer.parseInt(args[2]);
        float[] x = new float[4096];
        Random r = new Random(11);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 4);
        }
        Map<String, Supplier<byte[]>> checks = new LinkedHashMap<>();
        checks.put("vector-api-reduceLanes-ADD", () -> lanes(x, v -> FloatVector.broadcast(F, v.reduceLanes(VectorOperators.ADD))));
        checks.put("vector-api-EXP", () -> lanes(x, v -> v.lanewise(VectorOperators.EXP)));
        checks.put("VectorMath.sum", () -> lanes(x, v -> FloatVector.broadcast(F, VectorMath.sum(v))));
        checks.put("VectorMath.exp", () -> lanes(x, VectorMath::exp));
        checks.put("VectorMath.geluTanh", () -> lanes(x, VectorMath::geluTanh));

        Path small = fixtures.resolve("small-untied");
        Vocabulary vocab = Vocabulary.read(small.resolve("vocab.json"), small.resolve("merges.txt"));
        int[] prompt = vocab.tokenizer().encode("Ann sees 3 apples, and Bob has 7 pears.");
        for (String type : List.of("f32", "f16", "q8_0", "q4_0")) {
            Path file = small.resolve("model-" + type + ".gguf");
            checks.put("java-engine-" + type, () -> {
                try (Gpt2Model m = Gpt2Model.load(file, ModelParams.defaults().withEngine(Engine.JAVA));
                        Session s = m.newSession()) {
                    float[] batch = s.eval(0, prompt).clone();
                    float[] step = s.eval(0, 17);
                    return digest(floats(batch), floats(step));
                }
            });
        }
        StringBuilder corpus = new StringBuilder();
        Random cr = new Random(7);
        for (int i = 0; i < 400; i++) {
            corpus.append(List.of("Ann", "Bob", "Cy").get(cr.nextInt(3))).append(" has ").append(1 + cr.nextInt(9))
                    .append(" apples.\n");
        }
        Path text = scratch.resolve("corpus.txt");
        Files.writeString(text, corpus);
        int[] run = {0};
        checks.put("trainer", () -> {
            Path out = scratch.resolve("trained-" + run[0]++ + ".gguf");
            ModelShape shape = new ModelShape(vocab.tokens().size(), 16, 32, 2, 2);
            var p = new TrainParams(List.of(text), out, "f32", "probe", shape, 2, 16, 2, 3e-3f, 3e-4f, 1, 0.1f,
                    0.9f, 0.95f, 1e-8f, 1f, 4, 2, 1, null, 2, 99, 2, Engine.JAVA);
            try {
                Trainer.train(p, vocab, null, null);
                return Files.readAllBytes(out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        for (var c : checks.entrySet()) {
            var seen = new java.util.LinkedHashSet<String>();
            int n = c.getKey().startsWith("trainer") || c.getKey().startsWith("java-engine") ? Math.max(2, reps / 20) : reps;
            for (int i = 0; i < n; i++) {
                seen.add(HexFormat.of().formatHex(digest(c.getValue().get())));
            }
            System.out.println(c.getKey() + (seen.size() == 1 ? " same " + seen.iterator().next()
                    : " changed " + seen.size() + " digests") + " over " + n + " runs");
        }
    }

    private static byte[] lanes(float[] x, java.util.function.UnaryOperator<FloatVector> f) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += F.length()) {
            f.apply(FloatVector.fromArray(F, x, i)).intoArray(out, i);
        }
        return floats(out);
    }

    private static byte[] floats(float[] a) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * a.length);
        b.asFloatBuffer().put(a);
        return b.array();
    }

    private static byte[] digest(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
