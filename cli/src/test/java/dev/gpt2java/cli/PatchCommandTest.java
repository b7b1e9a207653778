package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Intervention;
import dev.gpt2java.inspect.Patching;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code gpt2 patch} prints what {@link Patching} computes, on both engines, and refuses what it cannot do. */
class PatchCommandTest {

    static final String PROMPT = "The quick brown fox jumps over";

    /** The rows of the table: id, p before, p after, delta log p. */
    private static List<double[]> rows(Cli.Result r) {
        return r.outLines().stream().filter(l -> l.trim().matches("\\d+\\s+\\d+\\s+.*"))
                .map(l -> {
                    String[] f = l.trim().split("\\s+");
                    return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[f.length - 3]),
                            Double.parseDouble(f[f.length - 2]), Double.parseDouble(f[f.length - 1])};
                }).toList();
    }

    @Test
    void ablatingAHeadPrintsTheLibrarysBeforeAndAfterOnBothEngines() {
        Patching.Change c;
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel())) {
            c = Patching.nextToken(m, m.tokenizer().encode(PROMPT), List.of(Intervention.zeroHead(0, 1)), 5);
        }
        for (String engine : List.of("native", "java")) {
            Cli.Result r = Cli.run("patch", "-m", Cli.model(), "--engine", engine, "--ablate", "0.1", "-k", "5", PROMPT);
            assertEquals(0, r.code(), r.err());
            List<double[]> rows = rows(r);
            assertEquals(5, rows.size(), r.out());
            for (int i = 0; i < 5; i++) {
                int id = (int) rows.get(i)[0];
                assertEquals(c.topAfter()[i], id, engine + ": " + r.out());
                assertEquals(Math.exp(c.logProbBefore(id)), rows.get(i)[1], 1e-5, engine + " p before");
                assertEquals(Math.exp(c.logProbAfter(id)), rows.get(i)[2], 1e-5, engine + " p after");
            }
            assertTrue(r.out().contains("KL(after || before) = "), r.out());
        }
    }

    @Test
    void patchingAPromptFromItselfChangesNothing() {
        Cli.Result r = Cli.run("patch", "-m", Cli.model(), "--from", PROMPT, "--patch-residual", "1", "--patch-head", "1.2", PROMPT);
        assertEquals(0, r.code(), r.err());
        for (double[] row : rows(r)) {
            assertEquals(0.0, row[3], 1e-4, r.out());
        }
        assertTrue(r.out().matches("(?s).*KL\\(after \\|\\| before\\) = 0\\.0000\\d\\d nats.*"), r.out());
    }

    @Test
    void misuseIsOneLineAndExitCode2() {
        for (String[] args : List.of(
                new String[] {"patch", "-m", Cli.model(), "--patch-head", "0.1", PROMPT},
                new String[] {"patch", "-m", Cli.model(), "--ablate", "9.0", PROMPT},
                new String[] {"patch", "-m", Cli.model(), "--ablate", "0-1", PROMPT},
                new String[] {"patch", "-m", Cli.model(), "--from", "x", "--patch-residual", "3", PROMPT},
                new String[] {"patch", "-m", Cli.model(), "--from", "x", "--patch-residual", "1", "--position", "99", PROMPT},
                new String[] {"patch", "-m", Cli.model(), PROMPT})) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
            assertTrue(r.err().contains("--"), r.err());
        }
    }
}
