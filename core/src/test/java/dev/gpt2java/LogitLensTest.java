package dev.gpt2java;

import dev.gpt2java.testsupport.TestSupport;
import dev.gpt2java.testsupport.Npy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The model's matrices read from Java: the logit lens (ln_f + lm_head on a block's output) of the
 * last block is the model's own logits, Hugging Face's last hidden state through lm_head is HF's
 * logits, and token embeddings agree with lm_head on a tied model.
 */
class LogitLensTest {

    @Test
    void lensOnTheLastBlockGivesTheModelsLogitsAndHfsLastHiddenStateGivesHfsLogits() throws Exception {
        Npy prompt = Npy.read(TestSupport.fixture("tiny-odd-heads", "prompt.npy"));
        Npy hfLogits = Npy.read(TestSupport.fixture("tiny-odd-heads", "logits.npy"));
        Npy hfHidden = Npy.read(TestSupport.fixture("tiny-odd-heads", "hidden.npy"));
        try (Gpt2Model model = Gpt2Model.load(TestSupport.fixture("tiny-odd-heads", "model-f32.gguf"));
             Session s = model.newSession(SessionParams.defaults().withCaptureHidden(true))) {
            int[] tokens = prompt.ints();
            int t = tokens.length, e = model.nEmbd(), v = model.nVocab(), layers = model.nLayer();
            s.eval(Batch.builder().addAllLogits(0, tokens).build());
            float[][] lens = model.unembed(s.hidden(layers), true);
            double worst = 0, scale = 0;
            float[] hf = hfLogits.floats();
            for (float x : hf) {
                scale = Math.max(scale, Math.abs(x));
            }
            for (int i = 0; i < t; i++) {
                float[] ours = s.logits(i);
                for (int j = 0; j < v; j++) {
                    worst = Math.max(worst, Math.abs(lens[i][j] - ours[j]));
                }
            }
            assertEquals(0.0, worst / scale, 1e-5, "lens of the last block vs the model's logits");

            float[] hh = hfHidden.floats();
            float[][] last = new float[t][e];
            for (int i = 0; i < t; i++) {
                System.arraycopy(hh, (layers * t + i) * e, last[i], 0, e);
            }
            float[][] fromHf = model.unembed(last, false);
            worst = 0;
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < v; j++) {
                    worst = Math.max(worst, Math.abs(fromHf[i][j] - hf[i * v + j]));
                }
            }
            System.out.printf("lm_head on HF's last hidden state vs HF logits: %.3g of max|logit|%n", worst / scale);
            assertEquals(0.0, worst / scale, 1e-4);
        }
    }

    @Test
    void tokenEmbeddingsThroughTheTiedLmHeadAreDotProducts() {
        try (Gpt2Model model = Gpt2Model.load(TestSupport.fixture("tiny-odd-heads", "model-f32.gguf"))) {
            float[][] wte = model.tokenEmbeddings(0, model.nVocab());
            float[][] logits = model.unembed(new float[][] {wte[42]}, false);
            for (int j = 0; j < model.nVocab(); j += 37) {
                double dot = 0;
                for (int k = 0; k < model.nEmbd(); k++) {
                    dot += wte[42][k] * wte[j][k];
                }
                assertEquals(dot, logits[0][j], 1e-3 * Math.max(1, Math.abs(dot)), "token " + j);
            }
            assertThrows(IllegalArgumentException.class, () -> model.tokenEmbeddings(model.nVocab() - 1, 2));
            assertThrows(IllegalArgumentException.class, () -> model.unembed(new float[][] {new float[3]}, true));
        }
    }
}
