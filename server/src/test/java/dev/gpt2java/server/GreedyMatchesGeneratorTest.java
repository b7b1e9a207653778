package dev.gpt2java.server;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.GenerationResult;
import dev.gpt2java.search.Generator;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Exact end to end: greedy text through HTTP, JSON and the batching engine is the library's {@link Generator} on a
 * session of its own, token for token, also when requests share the engine's steps.
 */
class GreedyMatchesGeneratorTest {

    static final List<String> PROMPTS = List.of("The quick brown fox", "Once upon a time", "In the beginning",
            "Hello, world!", "1 2 3 4", "");

    @RegisterExtension
    static final TestServer server = TestServer.forClass(
            TestServer.params().withBatching(TestServer.params().batching().withSlots(4)));

    /** The Generator's greedy result: its text and the tokens shown as logprobs (EOS is not among them). */
    static List<String> expected(String prompt, int maxTokens) {
        int[] ids = prompt.isEmpty() ? new int[] {server.model.bosToken()} : server.model.tokenizer().encode(prompt);
        GenerationResult r = Generator.generate(server.model, ids, Sampler.GREEDY,
                GenerationParams.of(maxTokens, server.model.eosToken()), g -> { });
        List<String> out = new ArrayList<>();
        out.add(r.text());
        for (int t : r.tokens()) {
            if (t != server.model.eosToken()) {
                out.add(Logprobs.text(server.model.tokenizer(), t));
            }
        }
        return out;
    }

    static List<String> served(String prompt, int maxTokens) {
        HttpResponse<String> r = server.post("/v1/completions", "{\"model\": \"tiny\", \"prompt\": "
                + TestServer.JSON.valueToTree(prompt) + ", \"max_tokens\": " + maxTokens
                + ", \"temperature\": 0, \"logprobs\": 0}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode c = TestServer.json(r).get("choices").get(0);
        List<String> out = new ArrayList<>();
        out.add(c.get("text").asText());
        c.get("logprobs").get("tokens").forEach(t -> out.add(t.asText()));
        return out;
    }

    @Test
    void oneRequestAtATimeIsTheGeneratorsGreedyOutput() {
        for (String p : PROMPTS) {
            assertEquals(expected(p, 40), served(p, 40), p);
        }
    }

    @Test
    void requestsSharingTheEnginesStepsGetTheSameTokens() {
        List<CompletableFuture<List<String>>> running = new ArrayList<>();
        for (String p : PROMPTS) {
            running.add(CompletableFuture.supplyAsync(() -> served(p, 60)));
        }
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertEquals(expected(PROMPTS.get(i), 60), running.get(i).join(), PROMPTS.get(i));
        }
    }
}
