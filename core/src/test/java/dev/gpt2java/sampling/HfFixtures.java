package dev.gpt2java.sampling;

import dev.gpt2java.testsupport.Npy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixtures of {@code fixtures/make_sampling_fixtures.py} (Hugging Face's processors): the logits
 * vectors, the cases of {@code manifest.json} (one per line), and a {@code .npy} reader for the
 * little-endian 1-D arrays it writes.
 */
final class HfFixtures {

    /** One case: HF's processors {@code spec} on {@code vector} with {@code history}. */
    record Case(String name, String vector, String spec, int[] history, int lastN) {

        int[] kept() {
            return ints(dir().resolve(name + ".kept.npy"));
        }

        double[] scores() {
            return doubles(dir().resolve(name + ".scores.npy"));
        }

        double[] probs() {
            return doubles(dir().resolve(name + ".probs.npy"));
        }

        float[] logits() {
            return HfFixtures.logits(vector);
        }

        @Override
        public String toString() {
            return name + " [" + spec + "]";
        }
    }

    private HfFixtures() {
    }

    static Path dir() {
        Path d = Path.of(System.getProperty("gpt2.fixtures.dir", "../fixtures")).toAbsolutePath().normalize()
                .resolve("sampling");
        if (!Files.isDirectory(d)) {
            fail("fixture folder " + d + " is missing (set -Dgpt2.fixtures.dir; make it with fixtures/make_sampling_fixtures.py)");
        }
        return d;
    }

    static float[] logits(String vector) {
        return floats(dir().resolve(vector + ".logits.npy"));
    }

    private static final Pattern NAME = Pattern.compile("\"name\": \"([^\"]*)\"");
    private static final Pattern VECTOR = Pattern.compile("\"vector\": \"([^\"]*)\"");
    private static final Pattern SPEC = Pattern.compile("\"spec\": \"([^\"]*)\"");
    private static final Pattern HISTORY = Pattern.compile("\"history\": \\[([^]]*)]");
    private static final Pattern LAST_N = Pattern.compile("\"last_n\": (-?\\d+)");

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir().resolve("manifest.json"))) {
                Matcher name = NAME.matcher(line);
                if (!name.find()) {
                    continue;
                }
                String h = group(HISTORY, line).trim();
                int[] history = h.isEmpty() ? new int[0]
                        : Arrays.stream(h.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
                cases.add(new Case(name.group(1), group(VECTOR, line), group(SPEC, line), history,
                        Integer.parseInt(group(LAST_N, line))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (cases.isEmpty()) {
            fail("no cases in " + dir().resolve("manifest.json"));
        }
        return cases;
    }

    private static String group(Pattern p, String line) {
        Matcher m = p.matcher(line);
        if (!m.find()) {
            throw new IllegalStateException(p + " not in " + line);
        }
        return m.group(1);
    }

    /**
     * Our filters for a spec such as {@code "top_k k=50 min_keep=1 | temperature t=0.7"}; the
     * penalties' window is {@code lastN}.
     */
    static List<LogitsFilter> filters(String spec, int lastN) {
        List<LogitsFilter> filters = new ArrayList<>();
        for (String stage : spec.split("\\|")) {
            String[] words = stage.trim().split("\\s+");
            Map<String, String> a = new HashMap<>();
            for (int i = 1; i < words.length; i++) {
                String[] kv = words[i].split("=", 2);
                a.put(kv[0], kv[1]);
            }
            filters.add(switch (words[0]) {
                case "temperature" -> new Temperature(Double.parseDouble(a.get("t")));
                case "top_k" -> new TopK(Integer.parseInt(a.get("k")), Integer.parseInt(a.get("min_keep")));
                case "top_p" -> new TopP(Double.parseDouble(a.get("p")), Integer.parseInt(a.get("min_keep")));
                case "min_p" -> new MinP(Double.parseDouble(a.get("p")), Integer.parseInt(a.get("min_keep")));
                case "typical_p" -> new TypicalP(Double.parseDouble(a.get("p")), Integer.parseInt(a.get("min_keep")));
                case "repetition_penalty" -> new RepetitionPenalty(Double.parseDouble(a.get("penalty")), lastN);
                case "logit_bias" -> {
                    Map<Integer, Float> bias = new HashMap<>();
                    for (String pair : a.get("bias").split(",")) {
                        String[] tb = pair.split(":");
                        bias.put(Integer.parseInt(tb[0]), tb[1].equals("-inf") ? Float.NEGATIVE_INFINITY : Float.parseFloat(tb[1]));
                    }
                    yield new LogitBias(bias);
                }
                default -> throw new IllegalArgumentException("unknown stage in spec: " + stage);
            });
        }
        return filters;
    }

    static float[] floats(Path file) {
        return Npy.load(file).floats();
    }

    static double[] doubles(Path file) {
        return Npy.load(file).doubles();
    }

    static int[] ints(Path file) {
        return Npy.load(file).ints();
    }
}
