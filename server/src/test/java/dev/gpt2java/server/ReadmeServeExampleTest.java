package dev.gpt2java.server;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.Generator;
import dev.gpt2java.testsupport.ReadmeBlocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's serving examples run: its {@code curl} command (through bash, the port made this server's) and its
 * Java block, which is this file's {@link #example} body word for word (the base URL a variable here), against a
 * server on the project's own model as {@code gpt2 serve} runs it.
 */
class ReadmeServeExampleTest {

    /** What the README's examples say: the URL of {@code gpt2 serve}'s default port. */
    static final String README_URL = "http://127.0.0.1:8080";

    @RegisterExtension
    static final TestServer server = TestServer.forClass(Path.of("../models/gpt2-kjv.gguf"),
            ServerParams.defaults().withPort(0).withBatching(ServerParams.defaults().batching().withSlots(1)
                    .withThreads(1)));

    static String example(String baseUrl) {
        // README:begin
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey("none")                              // or the key given to --api-key
                .build();
        Completion completion = client.completions().create(CompletionCreateParams.builder()
                .model("gpt2-java-kjv")
                .prompt("And God said")
                .maxTokens(16)
                .temperature(0.0)
                .build());
        String text = completion.choices().get(0).text();
        // README:end
        client.close();
        return text;
    }

    /** The first {@code ```lang} block of the README's serving section that holds {@code needle}. */
    static String block(String lang, String needle) {
        return ReadmeBlocks.block("## Serving", lang, needle);
    }

    /** What both examples must print: the greedy continuation, as the library makes it. */
    static String greedy() {
        int[] ids = server.model.tokenizer().encode("And God said");
        return Generator.generate(server.model, ids, Sampler.GREEDY, GenerationParams.of(16, server.model.eosToken()),
                g -> { }).text();
    }

    @Test
    void theJavaBlockIsThisCodeAndRuns() throws IOException {
        String expected = ReadmeBlocks.example("src/test/java/dev/gpt2java/server/ReadmeServeExampleTest.java")
                .replace(".baseUrl(baseUrl)", ".baseUrl(\"" + README_URL + "/v1\")");
        assertEquals(expected, block("java", "OpenAIOkHttpClient").strip(),
                "README.md's ```java block differs from ReadmeServeExampleTest.example");
        assertEquals(greedy(), example(server.uri("/v1").toString()));
    }

    @Test
    void theCurlBlockRuns() throws Exception {
        String curl = block("sh", "curl").replace(README_URL, "http://127.0.0.1:" + server.server.port());
        Process p = new ProcessBuilder("bash", "-c", curl).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "curl ended");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        JsonNode r = TestServer.JSON.readTree(out);
        assertEquals("text_completion", r.get("object").asText(), out);
        assertEquals(greedy(), r.get("choices").get(0).get("text").asText());
    }
}
