package dev.gpt2java.server;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With an API key, every endpoint but /health wants {@code Authorization: Bearer KEY}; off loopback, a key is a must. */
class ApiKeyTest {

    static final String KEY = "sk-test-0123456789";
    @RegisterExtension
    static final TestServer server = TestServer.forClass(TestServer.params().withApiKey(KEY));

    private static HttpResponse<String> models(String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/v1/models")).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return server.send(b);
    }

    @Test
    void theRightKeyIsLetIn() {
        assertEquals(200, models("Bearer " + KEY).statusCode());
        assertEquals(200, models("bearer " + KEY).statusCode(), "the scheme in any case");
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/v1/completions"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"tiny\", \"prompt\": \"Hi\", \"max_tokens\": 2}")));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void noKeyOrAWrongOneIs401() {
        for (String auth : new String[] {null, "Bearer wrong", "Bearer " + KEY + "x", "Basic " + KEY, "Bearer "}) {
            HttpResponse<String> r = models(auth);
            assertEquals("invalid_api_key", RequestErrorsTest.error(r, 401).get("code").asText(), String.valueOf(auth));
            assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElseThrow());
        }
        assertEquals(401, server.get("/metrics").statusCode());
        assertEquals(401, server.post("/tokenize", "{\"content\": \"a\"}").statusCode());
    }

    @Test
    void healthNeedsNoKey() {
        assertEquals(200, server.get("/health").statusCode());
    }

    @Test
    void aServerBeyondLoopbackRefusesToStartWithoutAKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestServer.start(TestServer.tinyModel(), TestServer.params().withHost("0.0.0.0")));
        assertTrue(e.getMessage().contains("API key"), e.getMessage());
    }
}
