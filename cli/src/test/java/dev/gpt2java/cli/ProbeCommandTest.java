package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gpt2 probe}: the table (a row per layer, score and control), the PNG, both engines, a converted Hugging
 * Face model and the default model; bad input as one line with its exit code.
 */
class ProbeCommandTest {

    static final String[] WORDS = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "and", "cat",
            "runs", "far", "away", "from", "home", "to", "sea"};

    @TempDir
    static Path tmp;
    static Path csv;

    /** 60 rows of random words: "words" (their number) and "fox" (whether one is fox). */
    @BeforeAll
    static void write() throws Exception {
        Random r = new Random(4);
        StringBuilder b = new StringBuilder("text,words,fox\n");
        for (int i = 0; i < 60; i++) {
            int n = 1 + r.nextInt(10);
            List<String> w = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                w.add(WORDS[r.nextInt(WORDS.length)]);
            }
            b.append('"').append(String.join(" ", w)).append("\",").append(n).append(',').append(w.contains("fox") ? "yes" : "no")
                    .append('\n');
        }
        csv = Files.writeString(tmp.resolve("words.csv"), b.toString());
    }

    /** The table's rows: layer name to its cells. */
    static Map<String, String[]> table(Cli.Result r) {
        Map<String, String[]> out = new java.util.LinkedHashMap<>();
        boolean in = false;
        for (String line : r.outLines()) {
            if (line.startsWith("layer ")) {
                in = true;
            } else if (in && line.startsWith("(")) {
                break;
            } else if (in) {
                String[] f = line.trim().split("\\s+");
                out.put(f[0], f);
            }
        }
        return out;
    }

    static Cli.Result probe(String... args) {
        List<String> a = new ArrayList<>(List.of("probe", "-t", "1"));
        a.addAll(List.of(args));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void printsARidgeRowPerLayerWithTheControlTheSameOnBothEngines() {
        Cli.Result nat = probe("-m", Cli.model(), csv.toString(), "--label-field", "words");
        assertEquals(0, nat.code(), nat.err());
        assertEquals("", nat.err());
        assertTrue(nat.out().startsWith("ridge probe of \"words\" on Tiny Odd Heads (model-f32.gguf)"), nat.out());
        assertTrue(nat.out().contains("60 rows of words.csv, 96 features (n_embd) at the last token\n"), nat.out());
        assertTrue(nat.out().contains("5-fold cross-validation (seed 1), standardized features, λ by 3-fold inner "
                + "cross-validation over 0.01, 0.1, 1, 10, 100, 1000, 10000, 1e+05\n"), nat.out());
        Map<String, String[]> a = table(nat);
        assertEquals(List.of("emb", "1", "2"), List.copyOf(a.keySet()));
        Cli.Result java = probe("-m", Cli.model(), "--engine", "java", csv.toString(), "--label-field", "words");
        assertEquals(0, java.code(), java.err());
        Map<String, String[]> b = table(java);
        for (String l : a.keySet()) {
            // R² and control: the engines' states differ by ~1e-6, the scores by far less than the printed 1e-3
            for (int c = 1; c <= 3; c++) {
                assertEquals(Double.parseDouble(a.get(l)[c]), Double.parseDouble(b.get(l)[c]), 0.0015, "layer " + l + " column " + c);
            }
        }
    }

    @Test
    void aClassLabelGetsALogisticProbeAndThePngCarriesTheScores() throws Exception {
        Path png = tmp.resolve("fox.png");
        Cli.Result r = probe("-m", Cli.model(), csv.toString(), "--label-field", "fox", "--layers", "emb,2", "--folds", "3",
                "--lambdas", "1,100", "--png", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("logistic probe of \"fox\""), r.out());
        assertTrue(r.out().contains("λ by 3-fold inner cross-validation over 1, 100\n"), r.out());
        assertTrue(r.out().matches("(?s).*\n2 classes; the largest is 0\\.\\d{3} of the rows \\(chance\\)\n.*"), r.out());
        Map<String, String[]> t = table(r);
        assertEquals(List.of("emb", "2"), List.copyOf(t.keySet()));
        assertTrue(r.out().endsWith("wrote " + png + System.lineSeparator()), r.out());
        Map<String, String> text = Png.readText(png);
        assertTrue(text.get(Png.TITLE).startsWith("Logistic probe of \"fox\" per layer: Tiny Odd Heads (model-f32.gguf)"), text.get(Png.TITLE));
        String[] lines = text.get("Scores").split("\n");
        assertEquals("layer\taccuracy\tcontrol", lines[0]);
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t");
            assertEquals(Double.parseDouble(t.get(f[0])[1]), Double.parseDouble(f[1]), 5e-4, lines[i]);
            assertEquals(Double.parseDouble(t.get(f[0])[3]), Double.parseDouble(f[2]), 5e-4, lines[i]);
        }
        assertEquals(3, lines.length);
        assertEquals(640, javax.imageio.ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void runsOnAConvertedHuggingFaceModelOnBothEngines() throws Exception {
        Path model = tmp.resolve("hf-gpt2.gguf");
        ConvertCommandTest.converted("gpt2", model, "--type", "f32");
        for (String engine : new String[] {"native", "java"}) {
            Cli.Result r = probe("-m", model.toString(), "--engine", engine, csv.toString(), "--label-field", "words",
                    "--lambdas", "10", "--bos");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("64 features (n_embd) at the last token, after <|endoftext|>\n"), r.out());
            assertTrue(r.out().contains("λ fixed at 10\n"), r.out());
            assertEquals(List.of("emb", "1", "2"), List.copyOf(table(r).keySet()), engine);
        }
    }

    @Test
    void runsOnTheDefaultModelOverVersesOfTheDemoOnBothEngines() throws Exception {
        Path root = Path.of(System.getProperty("gpt2.fixtures.dir")).toAbsolutePath().normalize().getParent();
        List<String> lines = Files.readAllLines(root.resolve("docs/look-inside/probe-verses.csv"));
        // the first verse of every 20: one from each book
        StringBuilder b = new StringBuilder(lines.get(0)).append('\n');
        for (int i = 1; i < lines.size(); i += 20) {
            b.append(lines.get(i)).append('\n');
        }
        Path f = Files.writeString(tmp.resolve("verses.csv"), b.toString());
        for (String engine : new String[] {"native", "java"}) {
            Cli.Result r = probe("-m", root.resolve("models/gpt2-kjv.gguf").toString(), "--engine", engine, f.toString(),
                    "--label-field", "testament", "--layers", "0,6", "--lambdas", "1");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("on gpt2-java-kjv (gpt2-kjv.gguf): 66 rows of verses.csv, 128 features"), r.out());
            assertEquals(List.of("emb", "6"), List.copyOf(table(r).keySet()), engine);
        }
    }

    @Test
    void badInputIsOneLineWithItsExitCode() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
        Path letters = Files.writeString(tmp.resolve("letters.csv"), "text,label\na,1\nb,x\nc,2\n");
        String m = Cli.model();
        Object[][] cases = {
                {Gpt2Cli.EXIT_FAILURE, "gpt2 probe: " + csv + " has no column \"label\" (its header: text, words, fox)",
                        new String[] {"-m", m, csv.toString()}},
                {Gpt2Cli.EXIT_FAILURE, "gpt2 probe: " + empty + " has no rows", new String[] {"-m", m, empty.toString()}},
                {Gpt2Cli.EXIT_FAILURE, "gpt2 probe: label of row 2 is not a number: \"x\" (a ridge probe needs numeric labels)",
                        new String[] {"-m", m, letters.toString(), "--kind", "ridge", "--folds", "2"}},
                {Gpt2Cli.EXIT_USAGE, "gpt2 probe: --layers: layer 9 is not in 0..2 (0 or emb: the embeddings; the model has 2 "
                        + "layers) (see 'gpt2 probe --help')", new String[] {"-m", m, csv.toString(), "--label-field", "words", "--layers", "1,9"}},
                {Gpt2Cli.EXIT_USAGE, "gpt2 probe: --folds must be >= 2, was 1 (see 'gpt2 probe --help')",
                        new String[] {"-m", m, csv.toString(), "--label-field", "words", "--folds", "1"}},
                {Gpt2Cli.EXIT_FAILURE, "gpt2 probe: --inner-folds must be at most the rows of the smallest training part "
                        + "(2 of 3 rows in 3 folds), was 3", new String[] {"-m", m, letters.toString(), "--folds", "3"}},
                {Gpt2Cli.EXIT_FAILURE, "gpt2 probe: " + tmp.resolve("none.csv") + ": no such file",
                        new String[] {"-m", m, tmp.resolve("none.csv").toString()}},
        };
        for (Object[] c : cases) {
            Cli.Result r = probe((String[]) c[2]);
            assertEquals(c[0], r.code(), r.err());
            assertEquals(List.of((String) c[1]), r.errLines());
        }
    }
}
