package dev.gpt2java;

import dev.gpt2java.testsupport.TestSupport;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The tokenizer a model builds from its own GGUF vocabulary is the one Hugging Face's files give. */
class ModelTokenizerTest {

    @Test
    void tokenizerFromTheGgufEqualsTheHuggingFaceFiles() throws Exception {
        Gpt2Tokenizer hf = Gpt2Tokenizer.fromHuggingFace(TestSupport.fixture("tiny-odd-heads", "vocab.json"),
                TestSupport.fixture("tiny-odd-heads", "merges.txt"));
        try (Gpt2Model model = Gpt2Model.load(TestSupport.fixture("tiny-odd-heads", "model-f32.gguf"))) {
            Gpt2Tokenizer ours = model.tokenizer();
            assertSame(ours, model.tokenizer(), "built once");
            assertEquals(hf.vocabSize(), ours.vocabSize());
            for (String text : new String[] {"Hello world, the quick brown fox.", "  it's 2026!\n\tdone", "héllo 日本 <|endoftext|> x"}) {
                assertArrayEquals(hf.encode(text, true), ours.encode(text, true), text);
                assertEquals(text, ours.decode(ours.encode(text, true)));
            }
            assertArrayEquals(new int[] {model.eosToken()}, ours.encode("<|endoftext|>", true));
        }
    }
}
