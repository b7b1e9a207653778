package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;

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
}
