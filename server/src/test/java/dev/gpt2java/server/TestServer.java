package dev.gpt2java.server;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.testsupport.TestSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@link CompletionServer} on 127.0.0.1 and a free port, on a committed fixture model, with a plain
 * {@link HttpClient} to talk to it. Closing it stops the server, then closes the model. A test class's shared one is
 * a {@code @RegisterExtension} field ({@link #forClass}): started before the class's tests, stopped after them.
 */
final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The model id the tests' servers serve. */
    static final String MODEL = "tiny";

    private final Path modelFile;
    private final ServerParams params;
    Gpt2Model model;
    CompletionServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(Path modelFile, ServerParams params) {
        this.modelFile = modelFile;
        this.params = params;
    }

    /** The fixture with a truncated GPT-2 vocabulary (1000 tokens, 128 positions): fast, and real BPE. */
    static Path tinyModel() {
        return TestSupport.fixture("tiny-odd-heads", "model-f32.gguf");
    }

    /** Loopback, a free port, model id {@link #MODEL}, 2 slots of the model's 128 cells. */
    static ServerParams params() {
        return ServerParams.defaults().withPort(0).withModelId(MODEL)
                .withBatching(ServerParams.defaults().batching().withSlots(2).withThreads(1).withQueueCapacity(8));
    }

    /** A test class's server on the tiny model with {@link #params()}, for a {@code @RegisterExtension} field. */
    static TestServer forClass() {
        return forClass(tinyModel(), params());
    }

    static TestServer forClass(ServerParams params) {
        return forClass(tinyModel(), params);
    }

    static TestServer forClass(Path modelFile, ServerParams params) {
        return new TestServer(modelFile, params);
    }

    /** A server started now; the caller closes it. */
    static TestServer start(Path modelFile, ServerParams params) {
        TestServer t = new TestServer(modelFile, params);
        t.open();
        return t;
    }

    private void open() {
        model = Gpt2Model.load(modelFile);
        try {
            server = CompletionServer.start(model, params);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    /** {@code POST path} with a JSON body. */
    HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    /** /health's {@code slots_active} now. */
    int activeSlots() {
        return json(get("/health")).get("slots_active").asInt();
    }

    /** Waits (up to 30 s, polling) for {@code condition}; fails the test with {@code what} if it never holds. */
    static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("waited 30 s for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what);
            }
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.shutdown(Duration.ofSeconds(5));
            }
        } finally {
            if (model != null) {
                model.close();
            }
        }
    }
}
