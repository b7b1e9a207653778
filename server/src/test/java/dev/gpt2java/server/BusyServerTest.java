package dev.gpt2java.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One slot, no queue: while a long stream holds the slot, another request is refused with 429 and Retry-After;
 * when a client goes away, mid-stream or before a whole (non-streamed) answer, its generation is cancelled and the
 * slot is free again.
 */
class BusyServerTest {

    /** Tokens the long stream asks for (EOS ignored): far more than it gets before its client leaves. */
    static final int LONG = 4000;

    @RegisterExtension
    static final TestServer server = TestServer.forClass(RawStream.longContextModel(),
            TestServer.params().withModelId("long").withBatching(TestServer.params().batching().withSlots(1)
                    .withQueueCapacity(0)));

    static String longStream() {
        return RawStream.request("long", LONG);
    }

    @AfterEach
    void slotFree() {
        TestServer.await("the slot to be free", () -> server.activeSlots() == 0);
    }

    @Test
    void aFullServerSays429WithRetryAfter() throws IOException {
        try (RawStream stream = new RawStream(server.server.port(), longStream())) {
            assertTrue(stream.firstEvent().contains("\"text_completion\""));
            assertEquals(1, server.activeSlots(), "the stream holds the one slot");
            HttpResponse<String> refused = server.post("/v1/completions",
                    "{\"model\": \"long\", \"prompt\": \"b\", \"max_tokens\": 2}");
            JsonNode err = RequestErrorsTest.error(refused, 429);
            assertEquals("server_busy", err.get("code").asText());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
        }
    }

    @Test
    void aClientThatLeavesMidStreamFreesItsSlot() throws IOException {
        long before = server.server.metrics().generatedTokens();
        try (RawStream stream = new RawStream(server.server.port(), longStream())) {
            stream.firstEvent();
            assertEquals(1, server.activeSlots());
        }
        // the client is gone: its generation is cancelled at the engine's next step
        TestServer.await("the slot to be freed", () -> server.activeSlots() == 0);
        long generated = server.server.metrics().generatedTokens() - before;
        assertTrue(generated < LONG, "cancelled, not run to its end: " + generated + " tokens");
        HttpResponse<String> next = server.post("/v1/completions",
                "{\"model\": \"long\", \"prompt\": \"b\", \"max_tokens\": 2}");
        assertEquals(200, next.statusCode(), next.body());
    }

    @Test
    void aClientThatLeavesBeforeItsAnswerFreesItsSlot() throws IOException {
        long before = server.server.metrics().generatedTokens();
        String whole = longStream().replace("\"stream\": true", "\"stream\": false");
        try (RawStream request = new RawStream(server.server.port(), whole)) {
            // nothing comes back before the whole answer: wait until it is generating, then leave
            TestServer.await("the request to hold the slot", () -> server.activeSlots() == 1);
        }
        TestServer.await("the slot to be freed", () -> server.activeSlots() == 0);
        long generated = server.server.metrics().generatedTokens() - before;
        assertTrue(generated < LONG, "cancelled, not run to its end: " + generated + " tokens");
    }
}
