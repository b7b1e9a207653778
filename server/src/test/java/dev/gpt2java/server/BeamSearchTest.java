package dev.gpt2java.server;

import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.EarlyStopping;
import dev.gpt2java.search.Hypothesis;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code num_beams > 1}: the library's {@link BeamSearch}, run on a side session, its best {@code n} as the choices. */
class BeamSearchTest {

    static final String PROMPT = "The quick brown fox";
    @RegisterExtension
    static final TestServer server = TestServer.forClass();

    static String text(Hypothesis h) {
        int[] t = h.tokens();
        int eos = server.model.eosToken();
        return server.model.tokenizer().decode(t.length > 0 && t[t.length - 1] == eos ? Arrays.copyOf(t, t.length - 1) : t);
    }

    @Test
    void theChoicesAreTheBeamSearchsBestHypotheses() {
        HttpResponse<String> r = server.post("/v1/completions", "{\"model\": \"tiny\", \"prompt\": \"" + PROMPT
                + "\", \"max_tokens\": 12, \"num_beams\": 3, \"n\": 2, \"length_penalty\": 0.5, \"early_stopping\": true, "
                + "\"no_repeat_ngram_size\": 2}");
        assertEquals(200, r.statusCode(), r.body());
        BeamSearchParams p = new BeamSearchParams(3, 0.5, EarlyStopping.TRUE, 2, 2, 12, 0,
                new int[] {server.model.eosToken()});
        List<Hypothesis> found = BeamSearch.search(server.model, server.model.tokenizer().encode(PROMPT), p);
        JsonNode choices = TestServer.json(r).get("choices");
        assertEquals(2, choices.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(text(found.get(i)), choices.get(i).get("text").asText());
            int[] t = found.get(i).tokens();
            String reason = t[t.length - 1] == server.model.eosToken() ? "stop" : "length";
            assertEquals(reason, choices.get(i).get("finish_reason").asText());
        }
    }

    @Test
    void aStreamedBeamSearchSendsEachChoiceWhole() {
        HttpResponse<String> whole = server.post("/v1/completions", "{\"model\": \"tiny\", \"prompt\": \"" + PROMPT
                + "\", \"max_tokens\": 8, \"num_beams\": 2}");
        HttpResponse<String> streamed = server.post("/v1/completions", "{\"model\": \"tiny\", \"prompt\": \"" + PROMPT
                + "\", \"max_tokens\": 8, \"num_beams\": 2, \"stream\": true}");
        List<String> data = StreamFormatTest.events(streamed);
        assertEquals(3, data.size(), "the text, the end, [DONE]: " + data);
        JsonNode c = TestServer.json(whole).get("choices").get(0);
        assertEquals(c.get("text").asText(), TestServer.json(data.get(0)).get("choices").get(0).get("text").asText());
        assertEquals(c.get("finish_reason").asText(),
                TestServer.json(data.get(1)).get("choices").get(0).get("finish_reason").asText());
    }
}
