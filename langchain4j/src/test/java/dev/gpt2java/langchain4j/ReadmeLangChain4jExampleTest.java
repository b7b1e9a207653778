package dev.gpt2java.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.Generator;
import dev.gpt2java.testsupport.ReadmeBlocks;
import dev.langchain4j.model.output.Response;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The README's LangChain4j block is {@link #example}'s body word for word, and it runs. */
class ReadmeLangChain4jExampleTest {

    static String example(Path modelFile) {
        // README:begin
        String text;
        try (Gpt2LanguageModel model = Gpt2LanguageModel.builder()
                .modelPath(modelFile)                        // a GGUF; or .model(m).engine(e) to share an engine
                .maxTokens(20)
                .stop(java.util.List.of("\n"))
                .build()) {
            Response<String> answer = model.generate("And God said");
            text = answer.content();                         // also answer.tokenUsage(), answer.finishReason()
        }
        // README:end
        return text;
    }

    @Test
    void theReadmeBlockIsThisCodeAndAnswersTheLibrarysText() throws IOException {
        assertEquals(ReadmeBlocks.example("src/test/java/dev/gpt2java/langchain4j/ReadmeLangChain4jExampleTest.java"),
                ReadmeBlocks.block("## With LangChain4j", "java", ""),
                "README.md's ```java block in \"With LangChain4j\" differs from ReadmeLangChain4jExampleTest.example");

        Path file = Path.of(System.getProperty("gpt2.default.model"));
        String expected;
        try (Gpt2Model m = Gpt2Model.load(file)) {
            expected = Generator.generate(m, m.tokenizer().encode("And God said"), Sampler.GREEDY,
                    GenerationParams.of(20, m.eosToken()).withStopStrings("\n"), t -> { }).text();
        }
        assertEquals(expected, example(file));
    }
}
