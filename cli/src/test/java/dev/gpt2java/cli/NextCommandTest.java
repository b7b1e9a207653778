package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.sampling.Logits;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code gpt2 next} ranks the session's own logits. */
class NextCommandTest {

    static final String PROMPT = "The quick brown fox jumps over";

    @Test
    void topOneIsTheArgmaxOfTheSessionsLogitsAndProbabilitiesSumAtMostOne() {
        float[] logits;
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel()); Session s = m.newSession()) {
            logits = s.eval(0, m.tokenizer().encode(PROMPT));
        }
        Cli.Result r = Cli.run("next", "-m", Cli.model(), "-k", "7", PROMPT);
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.outLines().subList(2, r.outLines().size());
        assertEquals(7, rows.size(), r.out());

        String[] first = rows.get(0).trim().split("\\s+");
        assertEquals("1", first[0]);
        assertEquals(Gpt2.argmax(logits), Integer.parseInt(first[1]), r.out());
        assertEquals(logits[Gpt2.argmax(logits)], Float.parseFloat(first[first.length - 1]), 1e-3);

        double sum = 0;
        double previous = 1;
        for (String row : rows) {
            String[] f = row.trim().split("\\s+");
            double p = Double.parseDouble(f[f.length - 2]);
            assertTrue(p <= previous + 1e-12, "probabilities not descending: " + r.out());
            previous = p;
            sum += p;
        }
        assertTrue(sum > 0 && sum <= 1 + 1e-5, "sum " + sum);
    }

    @Test
    void scoreSumsTheLogProbabilitiesOfTheContinuationAndAClosingEos() {
        String cont = " the lazy dog";
        double expected = 0;
        int n;
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel()); Session s = m.newSession()) {
            int[] c = m.tokenizer().encode(cont);
            n = c.length + 1;
            float[] logits = s.eval(0, m.tokenizer().encode(PROMPT));
            for (int t : c) {
                expected += Logits.logSoftmax(logits)[t];
                logits = s.eval(0, t);
            }
            expected += Logits.logSoftmax(logits)[m.eosToken()];
        }
        Cli.Result r = Cli.run("next", "-m", Cli.model(), "--score", " jumps", "--score", cont, PROMPT);
        assertEquals(0, r.code(), r.err());
        // header, column names, then two lines per continuation: the sum, then the tokens
        List<String> lines = r.outLines();
        assertEquals(6, lines.size(), r.out());
        String[] f = lines.get(4).trim().split("\\s+", 3);
        assertEquals(expected, Double.parseDouble(f[0]), 1e-3, r.out());
        assertEquals(n, Integer.parseInt(f[1]), r.out());
        assertEquals("\"" + cont + "\"", f[2], r.out());
        double perToken = 0;
        for (String piece : lines.get(5).trim().split(" \\| ")) {
            perToken += Double.parseDouble(piece.substring(piece.lastIndexOf(' ') + 1));
        }
        assertEquals(expected, perToken, 1e-3 * n, r.out());
        assertTrue(lines.get(5).contains("<|endoftext|>"), r.out());

        // the second continuation is scored after the prompt alone, not after the first one
        Cli.Result alone = Cli.run("next", "-m", Cli.model(), "--score", cont, PROMPT);
        assertEquals(0, alone.code(), alone.err());
        assertEquals(lines.get(4), alone.outLines().get(2), alone.out());
    }
}
