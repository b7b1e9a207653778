package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.EarlyStopping;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.GenerationResult;
import dev.gpt2java.search.Generator;
import dev.gpt2java.search.Hypothesis;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import dev.gpt2java.tokenizer.StreamingDecoder;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code gpt2 generate}: greedy decoding as a hand-written loop over Session does it. */
class GenerateCommandTest {

    /** Greedy by hand: argmax, stop at EOS, the text of the tokens. */
    static String manualGreedy(String prompt, int maxNew) {
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel()); Session s = m.newSession()) {
            Gpt2Tokenizer tok = m.tokenizer();
            int[] ids = tok.encode(prompt);
            float[] logits = s.eval(0, ids);
            StreamingDecoder d = tok.streamingDecoder();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < maxNew; i++) {
                int next = Gpt2.argmax(logits);
                if (next == m.eosToken()) {
                    break;
                }
                out.append(d.accept(next));
                logits = s.eval(0, next);
            }
            return out.append(d.flush()).toString();
        }
    }

    @Test
    void greedyOutputEqualsAManualGreedyLoop() {
        String prompt = "The quick brown fox";
        Cli.Result r = Cli.run("generate", "-m", Cli.model(), "--max-new-tokens", "30", prompt);
        assertEquals(0, r.code(), r.err());
        String expected = manualGreedy(prompt, 30);
        assertFalse(expected.isEmpty());
        assertEquals(expected + System.lineSeparator(), r.out());
        assertEquals("", r.err());
    }

    @Test
    void promptFromStdinAndTemperatureZeroAreGreedyToo() {
        Cli.Result r = Cli.runWithStdin("Once upon a time\n", "generate", "-m", Cli.model(), "-n", "12",
                "--temperature", "0", "--seed", "42");
        assertEquals(0, r.code(), r.err());
        assertEquals(manualGreedy("Once upon a time", 12) + System.lineSeparator(), r.out());
    }

    @Test
    void noRepeatNgramBansTheTokenThatWouldRepeatAnNgram() {
        String prompt = "The quick brown fox";
        Cli.Result r = Cli.run("generate", "-m", Cli.model(), "-n", "30", "--no-repeat-ngram-size", "2", prompt);
        assertEquals(0, r.code(), r.err());
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel())) {
            int[] ids = m.tokenizer().encode(prompt);
            GenerationParams g = new GenerationParams(30, 0, new int[] {m.eosToken()}, 2, List.of(), 0);
            GenerationResult banned = Generator.generate(m, ids, Sampler.GREEDY, g, t -> { });
            assertEquals(banned.text() + System.lineSeparator(), r.out());
            // prompt and generated tokens: no bigram twice
            int[] seq = IntStream.concat(IntStream.of(ids), IntStream.of(banned.tokens())).toArray();
            Set<List<Integer>> bigrams = new HashSet<>();
            for (int i = 0; i + 1 < seq.length; i++) {
                assertTrue(bigrams.add(List.of(seq[i], seq[i + 1])), "bigram repeated at " + i + ": " + r.out());
            }
        }
        assertNotEquals(manualGreedy(prompt, 30) + System.lineSeparator(), r.out(), "plain greedy repeats one here");
    }

    @Test
    void samplingWithASeedIsTheSamplerChainsDrawAndReproducible() {
        String prompt = "The quick brown fox";
        String[] args = {"generate", "-m", Cli.model(), "-n", "20", "--temperature", "0.9", "--top-k", "50",
            "--top-p", "0.95", "--repeat-penalty", "1.2", "--seed", "1234", prompt};
        Cli.Result r1 = Cli.run(args);
        Cli.Result r2 = Cli.run(args);
        assertEquals(0, r1.code(), r1.err());
        assertEquals(r1.out(), r2.out());

        SamplingParams p = SamplingParams.defaults().withTemperature(0.9).withTopK(50).withTopP(0.95)
                .withRepetitionPenalty(1.2).withSeed(1234);
        String expected;
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel())) {
            GenerationParams g = new GenerationParams(20, 0, new int[] {m.eosToken()}, 0, List.of(), 0);
            expected = Generator.generate(m, m.tokenizer().encode(prompt), p.newSampler(), g, t -> { }).text();
        }
        assertEquals(expected + System.lineSeparator(), r1.out());
        assertFalse(Cli.run("generate", "-m", Cli.model(), "-n", "20", "--temperature", "0.9", "--seed", "1", prompt).out()
                .equals(Cli.run("generate", "-m", Cli.model(), "-n", "20", "--temperature", "0.9", "--seed", "2", prompt).out()),
                "two seeds, same text");
    }

    @Test
    void flashAttentionGivesTheSameGreedyAndBeamText() {
        String prompt = "Once upon a time";
        Cli.Result plain = Cli.run("generate", "-m", Cli.model(), "-n", "20", prompt);
        Cli.Result fused = Cli.run("generate", "-m", Cli.model(), "-n", "20", "--flash-attn", prompt);
        assertEquals(0, fused.code(), fused.err());
        assertEquals(plain.out(), fused.out());
        String[] beam = {"generate", "-m", Cli.model(), "-n", "10", "--num-beams", "4", "--num-return-sequences", "2",
                prompt};
        Cli.Result beamPlain = Cli.run(beam);
        String[] beamFa = java.util.Arrays.copyOf(beam, beam.length + 1);
        beamFa[beam.length] = "--flash-attn";
        Cli.Result beamFused = Cli.run(beamFa);
        assertEquals(0, beamFused.code(), beamFused.err());
        // the texts; the scores agree to ~1e-6, which a 4-decimal print may round either way
        assertEquals(beamPlain.out().lines().filter(l -> !l.startsWith("[")).toList(),
                beamFused.out().lines().filter(l -> !l.startsWith("[")).toList());
    }

    @Test
    void beamSearchPrintsBeamSearchsBestSequences() {
        String prompt = "Once upon a time";
        Cli.Result r = Cli.run("generate", "-m", Cli.model(), "-n", "10", "--num-beams", "4",
                "--num-return-sequences", "2", "--no-repeat-ngram-size", "2", prompt);
        assertEquals(0, r.code(), r.err());
        StringBuilder expected = new StringBuilder();
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel())) {
            BeamSearchParams p = new BeamSearchParams(4, 1.0, EarlyStopping.FALSE, 2, 2, 10, 0, new int[] {m.eosToken()});
            List<Hypothesis> hs = BeamSearch.search(m, m.tokenizer().encode(prompt), p);
            for (int i = 0; i < hs.size(); i++) {
                int[] t = hs.get(i).tokens();
                if (t.length > 0 && t[t.length - 1] == m.eosToken()) {
                    t = java.util.Arrays.copyOf(t, t.length - 1);
                }
                expected.append(String.format(java.util.Locale.ROOT, "[%d] score %.4f%n", i + 1, hs.get(i).score()))
                        .append(m.tokenizer().decode(t)).append(System.lineSeparator());
            }
        }
        assertEquals(expected.toString(), r.out());
    }

    @Test
    void earlyStoppingTakesHuggingFacesThreeModes() {
        String prompt = "Once upon a time";
        for (EarlyStopping mode : EarlyStopping.values()) {
            Cli.Result r = Cli.run("generate", "-m", Cli.model(), "-n", "8", "--num-beams", "3", "--length-penalty", "2",
                    "--early-stopping", mode.name().toLowerCase(java.util.Locale.ROOT), prompt);
            assertEquals(0, r.code(), r.err());
            try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel())) {
                BeamSearchParams p = new BeamSearchParams(3, 2.0, mode, 1, 0, 8, 0, new int[] {m.eosToken()});
                int[] t = BeamSearch.search(m, m.tokenizer().encode(prompt), p).get(0).tokens();
                if (t.length > 0 && t[t.length - 1] == m.eosToken()) {
                    t = java.util.Arrays.copyOf(t, t.length - 1);
                }
                assertEquals(m.tokenizer().decode(t) + System.lineSeparator(), r.out(), mode.name());
            }
        }
        Cli.Result bad = Cli.run("generate", "-m", Cli.model(), "--num-beams", "3", "--early-stopping", "sometimes", "hi");
        assertEquals(2, bad.code());
    }

    @Test
    void oneBeamIsGreedy() {
        Cli.Result r = Cli.run("generate", "-m", Cli.model(), "-n", "15", "--num-beams", "1", "hello there");
        assertEquals(0, r.code(), r.err());
        assertEquals(manualGreedy("hello there", 15) + System.lineSeparator(), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--temperature=-1", "--top-k=-1", "--top-p=0", "--top-p=1.5", "--min-p=2",
            "--typical-p=0", "--repeat-penalty=0", "--repeat-last-n=-2", "--num-beams=0",
            "--max-new-tokens=0", "--min-new-tokens=-1", "--min-new-tokens=51", "--no-repeat-ngram-size=-1",
            "--num-return-sequences=2", "--num-beams=257", "--temperature=NaN", "--top-k=many"})
    void outOfRangeValuesAreUsageErrors(String option) {
        Cli.Result r = Cli.run("generate", "-m", Cli.model(), option, "hi");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gpt2 generate: "), r.err());
    }

    @Test
    void theRecordsRefusalsNameTheOptions() {
        assertEquals("gpt2 generate: --top-k must be in [0, 2147483647] (0: off), was -1 (see 'gpt2 generate --help')",
                Cli.run("generate", "-m", Cli.model(), "--top-k=-1", "hi").err().strip());
        assertTrue(Cli.run("generate", "-m", Cli.model(), "--min-new-tokens=51", "hi").err()
                .startsWith("gpt2 generate: --min-new-tokens must be in 0..--max-new-tokens (50), was 51"));
        assertTrue(Cli.run("generate", "-m", Cli.model(), "--repeat-last-n=-2", "hi").err()
                .startsWith("gpt2 generate: --repeat-last-n must be "));
        assertTrue(Cli.run("generate", "-m", Cli.model(), "-t", "-1", "hi").err()
                .startsWith("gpt2 generate: --threads (0: one per physical core) must be in 0..512, was -1"));
    }

    @Test
    void beamsAndSamplingTogetherAreAUsageError() {
        Cli.Result r = Cli.run("generate", "-m", Cli.model(), "--num-beams=3", "--top-k=5", "hi");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cannot be combined"), r.err());
    }
}
