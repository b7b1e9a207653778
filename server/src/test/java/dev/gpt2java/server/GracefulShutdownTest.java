package dev.gpt2java.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CompletionServer#shutdown}: it stops taking connections at once; a running request ends as it would
 * within the grace period, and is cancelled (an error event for a stream) when the grace runs out first.
 */
class GracefulShutdownTest {

    private static TestServer longServer() {
        return TestServer.start(RawStream.longContextModel(), TestServer.params().withModelId("long"));
    }

    @Test
    void aRunningStreamEndsNormallyWithinTheGraceAndNewConnectionsAreRefused() throws Exception {
        try (TestServer server = longServer()) {
            int port = server.server.port();
            try (RawStream stream = new RawStream(port, RawStream.request("long", 300))) {
                stream.firstEvent();
                CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(
                        () -> server.server.shutdown(Duration.ofSeconds(60)));
                TestServer.await("the port to close", () -> !accepts(port));
                List<String> rest = stream.rest();
                assertEquals("[DONE]", rest.getLast());
                JsonNode end = TestServer.json(rest.get(rest.size() - 2)).get("choices").get(0);
                assertEquals("length", end.get("finish_reason").asText(), "it ran to max_tokens: " + end);
                assertTrue(shutdown.get(), "every request ended on its own");
            }
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        }
    }

    @Test
    void aStreamStillRunningWhenTheGraceEndsGetsAnErrorEvent() throws Exception {
        try (TestServer server = longServer()) {
            try (RawStream stream = new RawStream(server.server.port(), RawStream.request("long", 4000))) {
                stream.firstEvent();
                assertFalse(server.server.shutdown(Duration.ZERO), "the stream was cancelled");
                List<String> rest = stream.rest();
                assertEquals("[DONE]", rest.getLast());
                JsonNode err = TestServer.json(rest.get(rest.size() - 2)).get("error");
                assertEquals("shutting_down", err.get("code").asText(), rest.toString());
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
