package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --lora FILE} and {@code --lora-scaled FILE SCALE} on a model's commands: the adapter that
 * {@code gpt2 finetune --lora-rank} wrote, applied at run time, prints what the merged model of the same run
 * prints, on both engines; scale 0 prints the base model's; a bad file or scale is one line and an exit code.
 */
class LoraOptionTest {

    static final String PROMPT = "Q: the first book?\nA:";

    @TempDir
    static Path dir;
    static Path adapter, merged;

    @BeforeAll
    static void finetuneOnceMergedAndNot() throws IOException {
        Path data = dir.resolve("qa.jsonl");
        Files.writeString(data, """
                {"prompt": "Q: the first book?\\nA:", "response": " Genesis."}
                {"prompt": "Q: the last book?\\nA:", "response": " Revelation."}
                {"prompt": "Q: the colour of snow?\\nA:", "response": " white."}
                """);
        adapter = dir.resolve("adapter.gguf");
        merged = dir.resolve("merged.gguf");
        for (Path out : List.of(adapter, merged)) {
            List<String> args = new java.util.ArrayList<>(List.of("finetune", data.toString(), "-m", Cli.model(), "-o",
                    out.toString(), "--steps", "10", "--lr", "2e-2", "--batch", "3", "--lora-rank", "4", "--type", "f32",
                    "-t", "1"));
            if (out == merged) {
                args.add("--merge");
            }
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
        }
    }

    /** The rows of {@code gpt2 next}: id and probability of each rank. */
    static List<double[]> rows(Cli.Result r) {
        assertEquals(0, r.code(), r.err());
        return r.out().lines().filter(l -> l.matches("\\s+\\d+\\s+\\d+\\s+\".*")).map(l -> {
            String[] f = l.trim().split("\\s+");
            return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[f.length - 2])};
        }).toList();
    }

    static void assertSameRows(List<double[]> want, List<double[]> got, String what) {
        assertEquals(want.size(), got.size(), what);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i)[0], got.get(i)[0], what + ": the token of rank " + (i + 1));
            assertEquals(want.get(i)[1], got.get(i)[1], 2e-6, what + ": the probability of rank " + (i + 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void anAdapterPrintsWhatTheMergedModelPrints(String engine) {
        List<double[]> base = rows(Cli.run("next", "-m", Cli.model(), "--engine", engine, "-k", "5", PROMPT));
        List<double[]> viaMerged = rows(Cli.run("next", "-m", merged.toString(), "--engine", engine, "-k", "5", PROMPT));
        List<double[]> viaLora = rows(Cli.run("next", "-m", Cli.model(), "--lora", adapter.toString(), "--engine", engine,
                "-k", "5", PROMPT));
        assertEquals(5, base.size());
        assertSameRows(viaMerged, viaLora, engine + ": --lora vs the merged model");
        assertTrue(viaLora.get(0)[1] > base.get(0)[1] + 0.05 || viaLora.get(0)[0] != base.get(0)[0],
                engine + ": the adapter changes the distribution");
        List<double[]> zero = rows(Cli.run("next", "-m", Cli.model(), "--lora-scaled", adapter.toString(), "0",
                "--engine", engine, "-k", "5", PROMPT));
        assertSameRows(base, zero, engine + ": scale 0 vs the base model");

        Cli.Result greedyMerged = Cli.run("generate", "-m", merged.toString(), "--engine", engine, "-n", "4", PROMPT);
        Cli.Result greedyLora = Cli.run("generate", "-m", Cli.model(), "--lora", adapter.toString(), "--engine", engine,
                "-n", "4", PROMPT);
        assertEquals(0, greedyLora.code(), greedyLora.err());
        assertEquals(greedyMerged.out(), greedyLora.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void aBadAdapterOrScaleIsOneLineAndAnExitCode(String engine) {
        Cli.Result notAnAdapter = Cli.run("next", "-m", Cli.model(), "--engine", engine, "--lora", Cli.model(), PROMPT);
        assertEquals(1, notAnAdapter.code(), notAnAdapter.err());
        assertEquals(1, notAnAdapter.errLines().size(), notAnAdapter.err());
        assertTrue(notAnAdapter.err().contains("general.type") && notAnAdapter.err().contains("model-f32.gguf"),
                notAnAdapter.err());
        Cli.Result missing = Cli.run("next", "-m", Cli.model(), "--engine", engine, "--lora",
                dir.resolve("nope.gguf").toString(), PROMPT);
        assertEquals(1, missing.code(), missing.err());
        assertTrue(missing.err().contains("nope.gguf"), missing.err());
        Cli.Result nan = Cli.run("next", "-m", Cli.model(), "--engine", engine, "--lora-scaled", adapter.toString(), "nan",
                PROMPT);
        assertEquals(2, nan.code(), nan.err());
        assertTrue(nan.err().contains("--lora-scaled: SCALE must be a finite number, was 'nan'"), nan.err());
    }
}
