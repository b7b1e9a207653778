package dev.gpt2java.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.Generator;
import dev.gpt2java.server.CompletionServer;
import dev.gpt2java.server.ServerParams;
import dev.langchain4j.model.openai.OpenAiLanguageModel;
import dev.langchain4j.model.openai.OpenAiStreamingLanguageModel;
import dev.langchain4j.model.output.Response;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's own OpenAI module (langchain4j-open-ai's completions-style models), unchanged, against a
 * running gpt2 serve on the project's own model: it gets the library's greedy text.
 */
class OpenAiModuleTalksToServeTest {

    static Gpt2Model model;
    static CompletionServer server;

    @BeforeAll
    static void start() throws Exception {
        model = Gpt2Model.load(Path.of(System.getProperty("gpt2.default.model")));
        server = CompletionServer.start(model, ServerParams.defaults().withPort(0)
                .withBatching(ServerParams.defaults().batching().withSlots(2).withThreads(1)));
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    /** What the server must answer: OpenAI's default of 16 tokens, greedy, as the library generates it alone. */
    static String greedy(String prompt) {
        return Generator.generate(model, model.tokenizer().encode(prompt), Sampler.GREEDY,
                GenerationParams.of(16, model.eosToken()), t -> { }).text();
    }

    @Test
    void openAiLanguageModelGetsTheLibrarysText() {
        OpenAiLanguageModel lm = OpenAiLanguageModel.builder().baseUrl(server.uri().resolve("v1").toString()).apiKey("none")
                .modelName(server.modelId()).temperature(0.0).build();
        Response<String> r = lm.generate("And God said");
        assertEquals(greedy("And God said"), r.content());
        assertEquals(16, r.tokenUsage().outputTokenCount());
    }

    @Test
    void openAiStreamingLanguageModelStreamsTheLibrarysText() throws Exception {
        OpenAiStreamingLanguageModel lm = OpenAiStreamingLanguageModel.builder().baseUrl(server.uri().resolve("v1").toString())
                .apiKey("none").modelName(server.modelId()).temperature(0.0).build();
        Gpt2LanguageModelTest.Collector c = new Gpt2LanguageModelTest.Collector();
        lm.generate("In the beginning", c);
        Response<String> r = c.done.get(60, TimeUnit.SECONDS);
        assertEquals(greedy("In the beginning"), c.text());
        assertEquals(greedy("In the beginning"), r.content());
    }
}
