package dev.gpt2java.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every way a request can be wrong gets OpenAI's error object, a 4xx, and the field at fault in {@code param} and
 * in the message; the server answers the next request as before.
 */
class RequestErrorsTest {

    @RegisterExtension
    static final TestServer server = TestServer.forClass(TestServer.params().withMaxBodyBytes(4096));

    /** The fields of a good request, then {@code extra} (a JSON object's members, or ""). */
    static String body(String extra) {
        return "{\"model\": \"tiny\", \"prompt\": \"Hello\", \"max_tokens\": 4" + (extra.isEmpty() ? "" : ", " + extra)
                + "}";
    }

    static Stream<Arguments> badFields() {
        String longPrompt = "[" + "1, ".repeat(127) + "1]"; // 128 tokens: a slot of 128 cells leaves no room
        return Stream.of(
                // field, the request's members after model/prompt/max_tokens (or a whole body), status
                arguments("model", "{\"prompt\": \"Hello\"}", 400),
                arguments("model", "{\"model\": 7, \"prompt\": \"Hello\"}", 400),
                arguments("model", "{\"model\": \"gpt-4\", \"prompt\": \"Hello\"}", 404),
                arguments("prompt", "{\"model\": \"tiny\"}", 400),
                arguments("prompt", "{\"model\": \"tiny\", \"prompt\": 12}", 400),
                arguments("prompt", "{\"model\": \"tiny\", \"prompt\": []}", 400),
                arguments("prompt", "{\"model\": \"tiny\", \"prompt\": [[]]}", 400),
                arguments("prompt", "{\"model\": \"tiny\", \"prompt\": [1, \"a\"]}", 400),
                arguments("prompt", "{\"model\": \"tiny\", \"prompt\": [\"a\", 1]}", 400),
                arguments("prompt", "{\"model\": \"tiny\", \"prompt\": [1, 1000]}", 400),
                arguments("prompt", "{\"model\": \"tiny\", \"prompt\": [[1], [-1]]}", 400),
                arguments("prompt", "{\"model\": \"tiny\", \"prompt\": [1.5]}", 400),
                arguments("prompt", "{\"model\": \"tiny\", \"prompt\": " + longPrompt + "}", 400),
                arguments("max_tokens", "{\"model\": \"tiny\", \"prompt\": \"Hello\", \"max_tokens\": \"4\"}", 400),
                arguments("max_tokens", "{\"model\": \"tiny\", \"prompt\": \"Hello\", \"max_tokens\": -1}", 400),
                arguments("max_tokens", "{\"model\": \"tiny\", \"prompt\": \"Hello\", \"max_tokens\": 0}", 400),
                arguments("max_tokens", "{\"model\": \"tiny\", \"prompt\": \"Hello\", \"max_tokens\": 2.5}", 400),
                arguments("max_tokens", "{\"model\": \"tiny\", \"prompt\": \"Hello\", \"max_tokens\": 100000}", 400),
                arguments("max_tokens", "{\"model\": \"tiny\", \"prompt\": \"Hello\", \"max_tokens\": 128}", 400),
                arguments("temperature", body("\"temperature\": 2.5"), 400),
                arguments("temperature", body("\"temperature\": \"hot\""), 400),
                arguments("top_p", body("\"top_p\": 1.5"), 400),
                arguments("n", body("\"n\": 0"), 400),
                arguments("n", body("\"n\": 129"), 400),
                arguments("n", body("\"n\": 20"), 400), // 20 sequences: more than the 2 slots + 8 queued
                arguments("stop", body("\"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]"), 400),
                arguments("stop", body("\"stop\": [1]"), 400),
                arguments("stop", body("\"stop\": \"\""), 400),
                arguments("stop", body("\"stop\": {}"), 400),
                arguments("logprobs", body("\"logprobs\": 6"), 400),
                arguments("logprobs", body("\"logprobs\": true"), 400),
                arguments("echo", body("\"echo\": \"yes\""), 400),
                arguments("stream", body("\"stream\": 1"), 400),
                arguments("stream_options", body("\"stream_options\": {\"include_usage\": true}"), 400),
                arguments("stream_options", body("\"stream\": true, \"stream_options\": {\"usage\": true}"), 400),
                arguments("seed", body("\"seed\": \"42\""), 400),
                arguments("seed", body("\"seed\": 1.5"), 400),
                arguments("presence_penalty", body("\"presence_penalty\": 3"), 400),
                arguments("frequency_penalty", body("\"frequency_penalty\": -2.5"), 400),
                arguments("logit_bias", body("\"logit_bias\": {\"abc\": 1}"), 400),
                arguments("logit_bias", body("\"logit_bias\": {\"1000\": 1}"), 400),
                arguments("logit_bias", body("\"logit_bias\": {\"5\": 101}"), 400),
                arguments("logit_bias", body("\"logit_bias\": {\"5\": \"up\"}"), 400),
                arguments("logit_bias", body("\"logit_bias\": [5]"), 400),
                arguments("suffix", body("\"suffix\": \"the end\""), 400),
                arguments("best_of", body("\"best_of\": 0"), 400),
                arguments("best_of", body("\"n\": 3, \"best_of\": 2"), 400),
                arguments("best_of", body("\"stream\": true, \"best_of\": 2"), 400),
                arguments("user", body("\"user\": 5"), 400),
                arguments("top_k", body("\"top_k\": -1"), 400),
                arguments("min_p", body("\"min_p\": 2"), 400),
                arguments("typical_p", body("\"typical_p\": 0"), 400),
                arguments("repetition_penalty", body("\"repetition_penalty\": 0"), 400),
                arguments("repeat_last_n", body("\"repeat_last_n\": -2"), 400),
                arguments("no_repeat_ngram_size", body("\"no_repeat_ngram_size\": -1"), 400),
                arguments("min_tokens", body("\"min_tokens\": 5"), 400),
                arguments("ignore_eos", body("\"ignore_eos\": 1"), 400),
                arguments("num_beams", body("\"num_beams\": 17"), 400),
                arguments("temperature", body("\"num_beams\": 2, \"temperature\": 0.5"), 400),
                arguments("logprobs", body("\"num_beams\": 2, \"logprobs\": 1"), 400),
                arguments("n", body("\"num_beams\": 2, \"n\": 3"), 400),
                arguments("length_penalty", body("\"length_penalty\": 2"), 400),
                arguments("early_stopping", body("\"num_beams\": 2, \"early_stopping\": \"sometimes\""), 400),
                arguments("frobnicate", body("\"frobnicate\": true"), 400));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badFields")
    void aBadFieldIsRefusedNamingIt(String field, String body, int status) {
        HttpResponse<String> r = server.post("/v1/completions", body);
        JsonNode err = error(r, status);
        assertEquals(field, err.get("param").asText(), r.body());
        assertTrue(err.get("message").asText().contains(field), "the message names " + field + ": " + r.body());
    }

    /** The error object of {@code r}, whose status must be {@code status}. */
    static JsonNode error(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        JsonNode body = TestServer.json(r);
        JsonNode err = body.get("error");
        assertTrue(err != null && err.isObject(), r.body());
        assertTrue(err.get("message").isTextual() && !err.get("message").asText().isBlank(), r.body());
        assertEquals(status >= 500 ? "server_error" : status == 429 ? "rate_limit_error" : "invalid_request_error",
                err.get("type").asText(), r.body());
        assertTrue(err.has("param") && err.has("code"), "OpenAI's four fields: " + r.body());
        return err;
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                arguments("{\"model\": \"tiny\", ", "not valid JSON"),
                arguments("{\"model\": \"tiny\"} {}", "not valid JSON"),
                arguments("{\"model\": \"tiny\", \"model\": \"tiny\"}", "not valid JSON"),
                arguments("[1, 2]", "JSON object"),
                arguments("\"hello\"", "JSON object"),
                arguments("", "empty"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badBodies")
    void aBodyThatIsNotAJsonObjectIsABadRequest(String body, String said) {
        HttpResponse<String> r = server.post("/v1/completions", body);
        JsonNode err = error(r, 400);
        assertTrue(err.get("param").isNull(), r.body());
        assertTrue(err.get("message").asText().contains(said), r.body());
    }

    @Test
    void aBodyThatIsNotJsonByItsContentTypeIsUnsupported() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/v1/completions"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body(""))));
        assertTrue(error(r, 415).get("message").asText().contains("application/json"), r.body());
        HttpResponse<String> latin = server.send(HttpRequest.newBuilder(server.uri("/v1/completions"))
                .header("Content-Type", "application/json; charset=iso-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString(body(""))));
        error(latin, 415);
    }

    @Test
    void aBodyOverTheLimitIsTooLarge() {
        String big = body("\"user\": \"" + "x".repeat(5000) + "\"");
        HttpResponse<String> r = server.post("/v1/completions", big);
        JsonNode err = error(r, 413);
        assertEquals("request_too_large", err.get("code").asText());
        assertTrue(err.get("message").asText().contains("4096"), r.body());
    }

    @Test
    void anUnknownPathIsNotFoundAndAWrongMethodNotAllowed() {
        assertEquals("not_found", error(server.get("/v1/chat/completions"), 404).get("code").asText());
        error(server.get("/"), 404);
        HttpResponse<String> r = server.get("/v1/completions");
        assertEquals("method_not_allowed", error(r, 405).get("code").asText());
        assertEquals("POST", r.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> del = server.send(HttpRequest.newBuilder(server.uri("/health")).DELETE());
        error(del, 405);
        assertEquals("model", error(server.get("/v1/models/gpt-4"), 404).get("param").asText());
    }

    @Test
    void theTokenEndpointsNameTheirFieldsToo() {
        assertEquals("content", error(server.post("/tokenize", "{}"), 400).get("param").asText());
        assertEquals("content", error(server.post("/tokenize", "{\"content\": 5}"), 400).get("param").asText());
        assertEquals("tokens", error(server.post("/detokenize", "{\"tokens\": [1, 1000]}"), 400).get("param").asText());
        assertEquals("tokens", error(server.post("/detokenize", "{\"tokens\": \"1 2\"}"), 400).get("param").asText());
        assertEquals("extra", error(server.post("/tokenize", "{\"content\": \"a\", \"extra\": 1}"), 400)
                .get("param").asText());
    }

    @Test
    void aGoodRequestAfterTheBadOnesIsAnswered() {
        HttpResponse<String> r = server.post("/v1/completions", body(""));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, TestServer.json(r).get("choices").size());
    }
}
