package dev.gpt2java.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.sampling.Sampler;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Streaming generation: text pieces, stop strings across tokens, cancellation, callbacks, logprobs. */
class StreamingTest {

    static final int[] PROMPT = Models.tiny().tokenizer().encode("Once upon a time");
    static final int MAX_NEW = 24;

    static Gpt2Model model() {
        return Models.tiny();
    }

    /** A run with no EOS (an empty list) and no stop strings: MAX_NEW tokens. */
    static GenerationParams plain() {
        return new GenerationParams(MAX_NEW, 0, new int[0], 0, List.of(), 0);
    }

    static List<GeneratedToken> all(GenerationParams p) {
        try (TokenStream ts = Generator.stream(model(), PROMPT, Sampler.GREEDY, p)) {
            return ts.stream().collect(Collectors.toList());
        }
    }

    @Test
    void greedyStreamMatchesGreedySearchAndTheDecodedText() {
        List<GeneratedToken> steps = all(plain());
        int[] tokens = steps.stream().mapToInt(GeneratedToken::token).toArray();
        Hypothesis greedy = GreedySearch.search(model(), PROMPT,
                new BeamSearchParams(1, 1, EarlyStopping.FALSE, 1, 0, MAX_NEW, 0, new int[0]));
        assertArrayEquals(greedy.tokens(), tokens);
        String text = steps.stream().map(GeneratedToken::text).collect(Collectors.joining());
        assertEquals(model().tokenizer().decode(tokens), text);
        assertEquals(greedy.score(), steps.stream().mapToDouble(GeneratedToken::logprob).sum(), 1e-9);
    }

    /** A sampler that ignores the logits and plays {@code script}, so the text is known. */
    static Sampler scripted(int[] script) {
        return (logits, history) -> script[history.length - PROMPT.length];
    }

    @Test
    void stopStringSpanningTokensEndsTheTextBeforeIt() {
        String story = "Hello world, this is a test of stop strings.";
        int[] script = model().tokenizer().encode(story);
        String stop = "s a t"; // spans " is", " a", " test"
        GenerationParams p = plain().withMaxNewTokens(script.length).withStopStrings("\u0000never", stop);
        try (TokenStream ts = Generator.stream(model(), PROMPT, scripted(script), p)) {
            List<GeneratedToken> got = ts.stream().collect(Collectors.toList());
            assertEquals(FinishReason.STOP_STRING, ts.finishReason());
            String text = got.stream().map(GeneratedToken::text).collect(Collectors.joining());
            assertEquals(story.substring(0, story.indexOf(stop)), text);
            assertEquals(text, ts.text());
            // it ends at the token that completes the stop string
            int completing = 0;
            while (!model().tokenizer().decode(java.util.Arrays.copyOf(script, completing + 1)).contains(stop)) {
                completing++;
            }
            assertEquals(completing + 1, got.size());
            // text that may start the stop string is held back until it cannot
            for (GeneratedToken g : got) {
                assertFalse(g.text().endsWith("s") || g.text().endsWith("s "), "held back: '" + g.text() + "'");
            }
        }
        // without the stop string, the scripted text comes out whole
        try (TokenStream ts = Generator.stream(model(), PROMPT, scripted(script), plain().withMaxNewTokens(script.length))) {
            ts.forEachRemaining(g -> { });
            assertEquals(story, ts.text());
            assertEquals(FinishReason.LENGTH, ts.finishReason());
        }
    }

    @Test
    void eosEndsTheStreamAndIsTheLastToken() {
        List<GeneratedToken> steps = all(plain());
        int eos = steps.get(5).token();
        int first = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).token() == eos) {
                first = i;
                break;
            }
        }
        try (TokenStream ts = Generator.stream(model(), PROMPT, Sampler.GREEDY, plain().withEosTokenIds(eos))) {
            List<GeneratedToken> got = ts.stream().collect(Collectors.toList());
            assertEquals(FinishReason.EOS, ts.finishReason());
            assertEquals(first + 1, got.size());
            assertEquals(eos, got.getLast().token());
        }
    }

    @Test
    void cancelEndsTheStreamBeforeItsNextStep() {
        try (TokenStream ts = Generator.stream(model(), PROMPT, Sampler.GREEDY, plain())) {
            for (int i = 0; i < 3; i++) {
                ts.next();
            }
            ts.cancel();
            assertFalse(ts.hasNext());
            assertEquals(FinishReason.CANCELLED, ts.finishReason());
            assertEquals(3, ts.tokens().length);
            assertThrows(NoSuchElementException.class, ts::next);
        }
    }

    @Test
    void cancelFromTheCallback() {
        List<Integer> seen = new ArrayList<>();
        try (TokenStream ts = Generator.stream(model(), PROMPT, Sampler.GREEDY, plain())) {
            ts.forEachRemaining(g -> {
                seen.add(g.token());
                if (seen.size() == 5) {
                    ts.cancel();
                }
            });
            assertEquals(5, seen.size());
            assertEquals(FinishReason.CANCELLED, ts.finishReason());
        }
    }

    @Test
    void callbacksSeeEveryToken() {
        List<Integer> ids = new ArrayList<>();
        GenerationResult r = Generator.generateTokens(model(), PROMPT, Sampler.GREEDY, plain(), ids::add);
        assertEquals(FinishReason.LENGTH, r.reason());
        assertArrayEquals(r.tokens(), ids.stream().mapToInt(Integer::intValue).toArray());
        StringBuilder sb = new StringBuilder();
        GenerationResult r2 = Generator.generate(model(), PROMPT, Sampler.GREEDY, plain(), g -> sb.append(g.text()));
        assertEquals(r2.text(), sb.toString());
        assertArrayEquals(r.tokens(), r2.tokens());
    }

    @Test
    void topLogprobsAreSortedAndNormalized() {
        int k = 5;
        for (GeneratedToken g : all(plain().withMaxNewTokens(6).withTopLogprobs(k))) {
            List<TokenLogprob> top = g.topLogprobs();
            assertEquals(k, top.size());
            assertEquals(g.token(), top.getFirst().token(), "greedy picks the most likely token");
            assertEquals(g.logprob(), top.getFirst().logprob(), 0);
            double mass = 0;
            for (int i = 0; i < k; i++) {
                assertTrue(top.get(i).logprob() <= 0);
                if (i > 0) {
                    assertTrue(top.get(i).logprob() <= top.get(i - 1).logprob(), "sorted best first");
                }
                mass += Math.exp(top.get(i).logprob());
            }
            assertTrue(mass <= 1 + 1e-9, "mass " + mass);
        }
        for (GeneratedToken g : all(plain().withMaxNewTokens(2).withTopLogprobs(model().nVocab()))) {
            double mass = g.topLogprobs().stream().mapToDouble(t -> Math.exp(t.logprob())).sum();
            assertEquals(1.0, mass, 1e-9);
        }
        assertTrue(all(plain().withMaxNewTokens(2)).getFirst().topLogprobs().isEmpty());
    }

    @Test
    void noRepeatNgramAndMinNewTokensApplyToTheStream() {
        int[] tokens = all(plain().withNoRepeatNgramSize(2)).stream().mapToInt(GeneratedToken::token).toArray();
        int[] seq = new int[PROMPT.length + tokens.length];
        System.arraycopy(PROMPT, 0, seq, 0, PROMPT.length);
        System.arraycopy(tokens, 0, seq, PROMPT.length, tokens.length);
        for (int i = 0; i + 1 < seq.length; i++) {
            for (int j = i + 1; j + 1 < seq.length; j++) {
                assertFalse(seq[i] == seq[j] && seq[i + 1] == seq[j + 1], "bigram repeated at " + i + ", " + j);
            }
        }
        int eos = all(plain()).getFirst().token();
        List<GeneratedToken> got = all(plain().withEosTokenIds(eos).withMinNewTokens(4));
        for (int i = 0; i < Math.min(4, got.size()); i++) {
            assertTrue(got.get(i).token() != eos, "EOS before minNewTokens at " + i);
        }
    }
}
