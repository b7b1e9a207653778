package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --engine java} runs the commands on the pure-Java engine, with the native engine's results. */
class EngineOptionTest {

    @Test
    void greedyGenerationNextTokensAndLensAreTheSameOnBothEngines() {
        String prompt = "Once upon a time";
        for (String[] command : new String[][] {
                {"generate", "-n", "16"}, {"next", "-k", "5"}, {"lens"}, {"tokenize"}}) {
            String[] nat = concat(command, "-m", Cli.model(), "--engine", "native", prompt);
            String[] java = concat(command, "-m", Cli.model(), "--engine", "java", prompt);
            Cli.Result a = Cli.run(nat), b = Cli.run(java);
            assertEquals(0, a.code(), a.err());
            assertEquals(0, b.code(), b.err());
            if (command[0].equals("next")) {
                // probabilities are printed with 4+ decimals; the engines agree within ~1e-6 relative
                assertEquals(firstColumns(a.out()), firstColumns(b.out()), command[0]);
            } else {
                assertEquals(a.out(), b.out(), command[0]);
            }
        }
        Cli.Result info = Cli.run("info", "-m", Cli.model(), "--engine", "java");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("backend:       Java"), info.out());
        assertEquals(2, Cli.run("info", "-m", Cli.model(), "--engine", "python").code());
    }

    static String[] concat(String[] head, String... tail) {
        String[] out = new String[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    /** rank, id and token of each row of `next`. */
    static String firstColumns(String out) {
        StringBuilder sb = new StringBuilder();
        out.lines().forEach(l -> {
            String[] f = l.trim().split("\\s+");
            sb.append(f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : l).append('\n');
        });
        return sb.toString();
    }
}
