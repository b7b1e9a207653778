package dev.gpt2java.server;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A keep-alive client sends its next request as soon as an answer is in: the exchange's watch of the connection
 * (which notices a client that leaves) must have ended by then, or it reads the next request as pipelined bytes and
 * the connection closes under it ("header parser received no bytes" at the client).
 */
class KeepAliveTest {

    @RegisterExtension
    static final TestServer server = TestServer.forClass();

    @Test
    void eachOfManyBackToBackRequestsOnOneConnectionIsAnswered() {
        for (int i = 0; i < 60; i++) {
            boolean stream = i % 2 == 1;
            HttpResponse<String> r = server.post("/v1/completions", "{\"model\": \"tiny\", \"prompt\": \"In the beginning\", "
                    + "\"max_tokens\": 2, \"num_beams\": " + (i % 3 == 0 ? 2 : 1) + ", \"stream\": " + stream + "}");
            assertEquals(200, r.statusCode(), "request " + i + ": " + r.body());
        }
    }
}
