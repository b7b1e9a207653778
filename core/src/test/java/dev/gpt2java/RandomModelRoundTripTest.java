package dev.gpt2java;

import dev.gpt2java.testsupport.RandomModel;
import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * A model written by the native build's gpt2-make-model (libgpt2's random-model writer, in its tools
 * library) loads back with the hyper-parameters and vocabulary written.
 */
class RandomModelRoundTripTest {

    static final String DIR = "round-trip";

    /** Parameter count of GPT-2 (HF's num_parameters, plus output.weight when untied). */
    static long expectedParams(RandomModel p) {
        long v = p.nVocab(), c = p.nCtx(), e = p.nEmbd(), f = 4L * e;
        long perLayer = 2 * e + (e * 3 * e + 3 * e) + (e * e + e) + 2 * e + (e * f + f) + (f * e + e);
        return v * e + c * e + p.nLayer() * perLayer + 2 * e + (p.tiedOutput() ? 0 : v * e);
    }

    @Test
    void hyperParametersAreTheOnesWritten() {
        RandomModel p = RandomModel.defaults().withNVocab(300).withNCtx(40).withNEmbd(48).withNHead(3)
                .withNLayer(3).withTiedOutput(false).withSeed(5);
        Path f = TestSupport.randomModel(DIR, "hparams", p);
        try (Gpt2Model m = Gpt2Model.load(f)) {
            assertEquals(300, m.nVocab());
            assertEquals(40, m.nCtxTrain());
            assertEquals(48, m.nEmbd());
            assertEquals(3, m.nHead());
            assertEquals(3, m.nLayer());
            assertEquals(4 * 48, m.nFf());
            assertEquals(1e-5f, m.normEps(), 1e-9f);
            assertEquals(TensorType.F32, m.weightType());
            assertFalse(m.outputTied());
            assertEquals(expectedParams(p), m.nParams());
            assertEquals(4 * expectedParams(p), m.sizeBytes(), "all F32");
            assertEquals("CPU", m.backendName());
            assertNotNull(m.name());
            assertEquals(f, m.path());
        }
    }

    @Test
    void tiedModelHasNoOutputMatrix() {
        RandomModel p = TestSupport.smallParams();
        try (Gpt2Model m = Gpt2Model.load(TestSupport.randomModel(DIR, "tied", p))) {
            assertTrue(m.outputTied());
            assertEquals(expectedParams(p), m.nParams());
        }
    }

    @Test
    void vocabularyIsByteLevelBpeWithEndOfTextLast() {
        RandomModel p = RandomModel.defaults();
        try (Gpt2Model m = Gpt2Model.load(TestSupport.randomModel(DIR, "vocab", p))) {
            int n = m.nVocab();
            int eot = n - 1;
            assertEquals("<|endoftext|>", m.tokenText(eot));
            assertEquals(TokenType.CONTROL, m.tokenType(eot));
            assertArrayEquals("<|endoftext|>".getBytes(StandardCharsets.UTF_8), m.tokenBytes(eot));
            assertEquals(eot, m.bosToken());
            assertEquals(eot, m.eosToken());

            // every byte is a token, and every normal token's text is GPT-2's byte-to-unicode of its bytes
            Set<Integer> singleBytes = new HashSet<>();
            Set<String> texts = new HashSet<>();
            for (int id = 0; id < n; id++) {
                String text = m.tokenText(id);
                byte[] bytes = m.tokenBytes(id);
                texts.add(text);
                if (m.tokenType(id) == TokenType.NORMAL) {
                    assertEquals(byteToUnicode(bytes), text, "token " + id);
                    if (bytes.length == 1) {
                        singleBytes.add(bytes[0] & 0xff);
                    }
                }
            }
            assertEquals(256, singleBytes.size(), "all 256 bytes are tokens");

            // merges: "left right", whose concatenation is a token
            List<String> merges = m.merges();
            assertEquals(n - 257, merges.size(), "256 byte tokens + one token per merge + <|endoftext|>");
            for (String merge : merges) {
                String[] parts = merge.split(" ");
                assertEquals(2, parts.length, merge);
                assertTrue(texts.contains(parts[0] + parts[1]), "merge '" + merge + "' makes a token");
            }
        }
    }

    @Test
    void sameParametersGiveTheSameFileAndAnotherSeedAnother() throws Exception {
        RandomModel p = TestSupport.smallParams();
        Path a = TestSupport.randomModel(DIR, "same-a", p);
        Path b = TestSupport.randomModel(DIR, "same-b", p);
        Path c = TestSupport.randomModel(DIR, "same-c", p.withSeed(p.seed() + 1));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertFalse(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
    }

    @Test
    void defaultsAreTheToolsDefaults() throws Exception {
        // RandomModel.defaults() names every option; the tool given none writes the same file
        Path named = TestSupport.randomModel(DIR, "defaults-named", RandomModel.defaults());
        Path bare = TestSupport.tmpDir(DIR).resolve("defaults-bare.gguf");
        RandomModel.makeModel(bare, List.of());
        assertArrayEquals(Files.readAllBytes(named), Files.readAllBytes(bare));
        try (Gpt2Model m = Gpt2Model.load(bare)) {
            assertEquals(List.of(512, 128, 64, 4, 2), List.of(m.nVocab(), m.nCtxTrain(), m.nEmbd(), m.nHead(), m.nLayer()));
            assertEquals(TensorType.F32, m.weightType());
            assertTrue(m.outputTied());
        }
    }

    @Test
    void quantizedCopiesLoadWithTheirWeightTypeAndFewerBytes() {
        RandomModel p = TestSupport.smallParams();
        Path src = TestSupport.randomModel(DIR, "quant-src", p);
        try (Gpt2Model f32 = Gpt2Model.load(src)) {
            for (TensorType t : List.of(TensorType.F16, TensorType.Q8_0)) {
                Path dst = TestSupport.tmpDir(DIR).resolve("quant-" + t + ".gguf");
                Gpt2.quantize(src, dst, t, 0);
                try (Gpt2Model q = Gpt2Model.load(dst)) {
                    assertEquals(t, q.weightType());
                    assertEquals(f32.nParams(), q.nParams());
                    assertTrue(q.sizeBytes() < f32.sizeBytes(), t + ": " + q.sizeBytes() + " < " + f32.sizeBytes());
                    assertEquals(f32.merges(), q.merges(), "metadata kept");
                }
            }
        }
    }

    @Test
    void randomModelsOfAnyWeightTypeLoad() {
        for (TensorType t : List.of(TensorType.F16, TensorType.Q8_0)) {
            RandomModel p = TestSupport.smallParams().withWeightType(t);
            try (Gpt2Model m = Gpt2Model.load(TestSupport.randomModel(DIR, "typed-" + t, p))) {
                assertEquals(t, m.weightType());
            }
        }
    }

    /** GPT-2's bytes_to_unicode (openai/gpt-2 encoder.py), applied to a byte string. */
    static String byteToUnicode(byte[] bytes) {
        int[] map = new int[256];
        Arrays.fill(map, -1);
        for (int b = '!'; b <= '~'; b++) {
            map[b] = b;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            map[b] = b;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            map[b] = b;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (map[b] < 0) {
                map[b] = 256 + n++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (byte x : bytes) {
            sb.appendCodePoint(map[x & 0xff]);
        }
        return sb.toString();
    }
}
