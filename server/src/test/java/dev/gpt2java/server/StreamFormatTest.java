package dev.gpt2java.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code stream: true} on the wire: server-sent events, {@code data: JSON} and a blank line each, {@code [DONE]} last. */
class StreamFormatTest {

    @RegisterExtension
    static final TestServer server = TestServer.forClass();

    /** The events' data, checked to be {@code data: ...} lines each followed by a blank line. */
    static List<String> events(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/event-stream;charset=utf-8",
                r.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase());
        assertTrue(r.body().endsWith("data: [DONE]\n\n"), r.body());
        List<String> data = new ArrayList<>();
        for (String event : r.body().split("\n\n")) {
            assertTrue(event.startsWith("data: ") && !event.contains("\n"), "one data line per event: " + event);
            data.add(event.substring(6));
        }
        return data;
    }

    @Test
    void chunksOfEachChoiceThenTheUsageThenDone() {
        HttpResponse<String> r = server.post("/v1/completions", "{\"model\": \"tiny\", \"prompt\": \"Hello\", "
                + "\"max_tokens\": 6, \"n\": 2, \"temperature\": 0, \"stream\": true, \"ignore_eos\": true, "
                + "\"stream_options\": {\"include_usage\": true}}");
        List<String> data = events(r);
        assertEquals("[DONE]", data.getLast());
        JsonNode usageChunk = TestServer.json(data.get(data.size() - 2));
        assertEquals(0, usageChunk.get("choices").size());
        assertEquals(12, usageChunk.get("usage").get("completion_tokens").asInt());
        StringBuilder[] text = {new StringBuilder(), new StringBuilder()};
        int[] ends = new int[2];
        String id = null;
        for (String d : data.subList(0, data.size() - 2)) {
            JsonNode chunk = TestServer.json(d);
            assertEquals("text_completion", chunk.get("object").asText());
            assertEquals("tiny", chunk.get("model").asText());
            id = id == null ? chunk.get("id").asText() : id;
            assertEquals(id, chunk.get("id").asText(), "one id for the whole stream");
            assertTrue(chunk.get("usage").isNull(), "usage only in its own chunk: " + d);
            JsonNode c = chunk.get("choices").get(0);
            int i = c.get("index").asInt();
            text[i].append(c.get("text").asText());
            if (!c.get("finish_reason").isNull()) {
                assertEquals("length", c.get("finish_reason").asText());
                ends[i]++;
            }
        }
        assertEquals(1, ends[0]);
        assertEquals(1, ends[1]);
        assertEquals(text[0].toString(), text[1].toString(), "greedy: both choices alike");
        JsonNode whole = TestServer.json(server.post("/v1/completions", "{\"model\": \"tiny\", \"prompt\": \"Hello\", "
                + "\"max_tokens\": 6, \"temperature\": 0, \"ignore_eos\": true}"));
        assertEquals(whole.get("choices").get(0).get("text").asText(), text[0].toString());
    }

    @Test
    void aStreamsEchoAndLogprobsAreThoseOfTheWholeResponse() {
        String fields = "\"model\": \"tiny\", \"prompt\": \"Hello there\", \"max_tokens\": 8, \"temperature\": 0, "
                + "\"echo\": true, \"logprobs\": 2";
        JsonNode whole = TestServer.json(server.post("/v1/completions", "{" + fields + "}")).get("choices").get(0);
        List<String> data = events(server.post("/v1/completions", "{" + fields + ", \"stream\": true}"));
        StringBuilder text = new StringBuilder();
        List<JsonNode> tokens = new ArrayList<>(), logprobs = new ArrayList<>(), tops = new ArrayList<>(),
                offsets = new ArrayList<>();
        for (String d : data.subList(0, data.size() - 1)) {
            JsonNode c = TestServer.json(d).get("choices").get(0);
            text.append(c.get("text").asText());
            JsonNode lp = c.get("logprobs");
            if (!lp.isNull()) {
                lp.get("tokens").forEach(tokens::add);
                lp.get("token_logprobs").forEach(logprobs::add);
                lp.get("top_logprobs").forEach(tops::add);
                lp.get("text_offset").forEach(offsets::add);
            }
        }
        assertEquals(whole.get("text").asText(), text.toString());
        JsonNode lp = whole.get("logprobs");
        assertEquals(list(lp.get("tokens")), tokens);
        assertEquals(list(lp.get("text_offset")), offsets);
        assertTrue(logprobs.getFirst().isNull(), "the echoed prompt's first token has no logprob");
        // the same numbers, to float precision: the second request may start from the first one's cached prompt
        // cells, and a batch of another size rounds differently
        assertClose(list(lp.get("token_logprobs")), logprobs);
        assertClose(list(lp.get("top_logprobs")), tops);
    }

    /** Equal JSON, numbers within 1e-4 (null, numbers, or objects of numbers with the same keys). */
    private static void assertClose(List<JsonNode> expected, List<JsonNode> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = expected.get(i), a = actual.get(i);
            if (e.isObject()) {
                assertEquals(e.properties().stream().map(Map.Entry::getKey).toList(),
                        a.properties().stream().map(Map.Entry::getKey).toList(), "entry " + i);
                for (var p : e.properties()) {
                    assertEquals(p.getValue().asDouble(), a.get(p.getKey()).asDouble(), 1e-4, "entry " + i);
                }
            } else if (e.isNull()) {
                assertTrue(a.isNull(), "entry " + i + ": " + a);
            } else {
                assertEquals(e.asDouble(), a.asDouble(), 1e-4, "entry " + i);
            }
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    @Test
    void withoutIncludeUsageNoUsageIsSent() {
        List<String> data = events(server.post("/v1/completions", "{\"model\": \"tiny\", \"prompt\": \"Hello\", "
                + "\"max_tokens\": 3, \"stream\": true}"));
        for (String d : data.subList(0, data.size() - 1)) {
            assertTrue(!TestServer.json(d).has("usage"), d);
        }
    }
}
