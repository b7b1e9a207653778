package dev.gpt2java.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code stream: true} on the wire: server-sent events, {@code data: JSON} and a blank line each, {@code [DONE]} last. */
class StreamFormatTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

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
    void withoutIncludeUsageNoUsageIsSent() {
        List<String> data = events(server.post("/v1/completions", "{\"model\": \"tiny\", \"prompt\": \"Hello\", "
                + "\"max_tokens\": 3, \"stream\": true}"));
        for (String d : data.subList(0, data.size() - 1)) {
            assertTrue(!TestServer.json(d).has("usage"), d);
        }
    }
}
