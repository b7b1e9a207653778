package dev.gpt2java.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Embeddings} on tiny-odd-heads (1000 tokens: one chunk; the scan's chunking is covered by {@link #chunkBoundaries}). */
class EmbeddingsTest {

    static Gpt2Model model;

    @BeforeAll
    static void load() {
        model = Fixtures.tiny();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static void assertSortedDescending(List<Neighbor> r) {
        for (int i = 1; i < r.size(); i++) {
            assertTrue(r.get(i - 1).similarity() >= r.get(i).similarity(), "not sorted at " + i + ": " + r);
        }
    }

    @Test
    void aTokensNearestIsItselfWithSimilarityOne() {
        double worst = 0;
        for (int id : new int[] {0, 1, 42, 500, 998, 999}) {
            List<Neighbor> r = Embeddings.nearest(model, id, 10);
            assertEquals(10, r.size());
            assertEquals(id, r.get(0).id(), "nearest of " + id + ": " + r);
            worst = Math.max(worst, Math.abs(r.get(0).similarity() - 1));
            assertEquals(1.0, r.get(0).similarity(), 1e-6);
            assertSortedDescending(r);
            assertEquals(model.tokenizer().pieces(new int[] {id}).get(0), r.get(0).piece());
        }
        System.out.printf("inspect: nearest(token) self-similarity max|1 - s| = %.3g%n", worst);
    }

    @Test
    void similaritiesEqualADirectComputation() {
        float[][] wte = model.tokenEmbeddings(0, model.nVocab());
        double worst = 0;
        for (int id : new int[] {3, 77, 640}) {
            List<Neighbor> r = Embeddings.nearest(model, id, 20);
            for (Neighbor nb : r) {
                double dot = 0, na = 0, nb2 = 0;
                for (int j = 0; j < model.nEmbd(); j++) {
                    dot += (double) wte[id][j] * wte[nb.id()][j];
                    na += (double) wte[id][j] * wte[id][j];
                    nb2 += (double) wte[nb.id()][j] * wte[nb.id()][j];
                }
                double direct = dot / Math.sqrt(na * nb2);
                worst = Math.max(worst, Math.abs(direct - nb.similarity()));
                assertEquals(direct, nb.similarity(), 1e-9, "token " + id + " vs " + nb.id());
            }
            // and nothing outside the result is more similar than its last entry
            double floor = r.get(r.size() - 1).similarity();
            int above = 0;
            for (int t = 0; t < model.nVocab(); t++) {
                if (Embeddings.cosine(wte[id], wte[t]) > floor) {
                    above++;
                }
            }
            assertTrue(above <= r.size(), above + " tokens above the 20th similarity");
        }
        System.out.printf("inspect: nearest similarities vs direct cosine: max diff %.3g%n", worst);
    }

    @Test
    void analogyExcludesItsInputs() {
        int a = 10, b = 20, c = 30;
        List<Neighbor> r = Embeddings.analogy(model, a, b, c, 15);
        assertEquals(15, r.size());
        assertSortedDescending(r);
        for (Neighbor nb : r) {
            assertFalse(Set.of(a, b, c).contains(nb.id()), "analogy returned an input: " + r);
        }
        // without exclusions, the same vector's result is the analogy's with the inputs merged in
        float[] ea = Embeddings.embedding(model, a), eb = Embeddings.embedding(model, b), ec = Embeddings.embedding(model, c);
        float[] v = new float[ea.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) ((double) ea[j] - eb[j] + ec[j]);
        }
        List<Neighbor> all = Embeddings.nearest(model, v, 18, Set.of());
        List<Neighbor> filtered = all.stream().filter(nb -> !Set.of(a, b, c).contains(nb.id())).toList();
        int m = Math.min(filtered.size(), r.size());
        assertTrue(m >= 15, "18 minus 3 inputs leaves at least 15");
        assertEquals(filtered.subList(0, m), r.subList(0, m));

        // words: every token of the words is left out
        String wa = "hello", wb = " world", wc = "abc";
        List<Neighbor> w = Embeddings.analogy(model, wa, wb, wc, 10);
        for (String word : List.of(wa, wb, wc)) {
            for (int id : Embeddings.tokensOf(model, word)) {
                assertTrue(w.stream().noneMatch(nb -> nb.id() == id), "word analogy returned token " + id + " of " + word);
            }
        }
    }

    @Test
    void aWordOfSeveralTokensIsTheMeanOfTheirEmbeddings() {
        String word = "hello world";
        int[] ids = Embeddings.tokensOf(model, word);
        float[] v = Embeddings.vectorOf(model, word);
        for (int j = 0; j < v.length; j++) {
            double s = 0;
            for (int id : ids) {
                s += Embeddings.embedding(model, id)[j];
            }
            assertEquals(s / ids.length, v[j], 1e-6);
        }
        if (ids.length == 1) {
            assertEquals(ids[0], Embeddings.nearest(model, word, 1).get(0).id());
        }
    }

    @Test
    void chunkBoundaries() {
        // k = nVocab returns every token exactly once, sorted
        List<Neighbor> r = Embeddings.nearest(model, 5, model.nVocab());
        assertEquals(model.nVocab(), r.size());
        assertEquals(model.nVocab(), r.stream().mapToInt(Neighbor::id).distinct().count());
        assertSortedDescending(r);
        List<Neighbor> ex = Embeddings.nearest(model, Embeddings.embedding(model, 5), model.nVocab(), Set.of(5, 6));
        assertEquals(model.nVocab() - 2, ex.size());
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Embeddings.nearest(model, -1, 3));
        assertThrows(IllegalArgumentException.class, () -> Embeddings.nearest(model, model.nVocab(), 3));
        assertThrows(IllegalArgumentException.class, () -> Embeddings.nearest(model, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Embeddings.nearest(model, new float[3], 3, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> Embeddings.nearest(model, new float[model.nEmbd()], 3, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new Neighbor(1, "x", 1.5));
    }
}
