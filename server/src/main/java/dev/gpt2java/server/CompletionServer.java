package dev.gpt2java.server;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.batching.BatchingEngine;
import dev.gpt2java.batching.BatchingMetrics;
import dev.gpt2java.batching.BatchingParams;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OpenAI-compatible completions server on one model: {@code POST /v1/completions} (JSON, or server-sent events
 * with {@code stream: true}), {@code GET /v1/models}, {@code GET /health}, {@code GET /metrics} (Prometheus text),
 * {@code POST /tokenize}, {@code POST /detokenize}. Sampling and greedy requests run on a continuous-batching
 * engine ({@link BatchingEngine}); beam searches on side sessions of their own. docs/SERVING.md has the fields,
 * the extensions, the errors and the metrics.
 *
 * <pre>{@code
 * try (Gpt2Model model = Gpt2Model.load(file);
 *      CompletionServer server = CompletionServer.start(model, ServerParams.defaults().withPort(0))) {
 *     System.out.println(server.uri());      // http://127.0.0.1:PORT/
 *     server.awaitShutdown();                // until shutdown(grace) or close() from another thread
 * }
 * }</pre>
 *
 * <p>Each HTTP request runs on a virtual thread of its own. The model stays the caller's: close it after the server.
 */
public final class CompletionServer implements AutoCloseable {

    private final ServerParams params;
    private final BatchingEngine engine;
    private final SideSessions side;
    private final HttpApi api;
    private final Server jetty;
    private final ServerConnector connector;
    private final String modelId;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean stopping;
    private volatile boolean clean;

    /** The HTTP server around {@code api}, for the host and port of {@code params}; not listening yet. */
    private CompletionServer(ServerParams params, BatchingEngine engine, SideSessions side, HttpApi api,
                             String modelId) {
        this.params = params;
        this.engine = engine;
        this.side = side;
        this.api = api;
        this.modelId = modelId;
        // selectors and acceptors on a few platform threads; each request's handling on a virtual thread
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("gpt2-serve");
        pool.setDaemon(true);
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("gpt2-serve-request-", 1).factory()));
        jetty = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(params.host());
        connector.setPort(params.port());
        jetty.addConnector(connector);
        jetty.setHandler(api);
        jetty.setErrorHandler(new JsonErrors());
    }

    /**
     * Starts the engine and listens.
     *
     * @throws IllegalArgumentException if the host is not a loopback address and no API key is given, the host is
     *                                  unknown, or the engine's slots do not fit the model
     * @throws IOException              if the address cannot be bound (the port is taken)
     */
    public static CompletionServer start(Gpt2Model model, ServerParams params) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(params, "params");
        InetAddress address;
        try {
            address = InetAddress.getByName(params.host());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + params.host(), e);
        }
        if (!address.isLoopbackAddress() && params.apiKey() == null) {
            throw new IllegalArgumentException("host " + params.host() + " is not a loopback address: serving beyond "
                    + "this machine needs an API key (ServerParams.apiKey; gpt2 serve --api-key, or GPT2_API_KEY)");
        }
        String modelId = params.modelId() != null ? params.modelId() : defaultModelId(model);

        AtomicReference<BatchingEngine> engineRef = new AtomicReference<>();
        AtomicReference<SideSessions> sideRef = new AtomicReference<>();
        ServerMetrics metrics = new ServerMetrics(() -> {
            BatchingEngine e = engineRef.get();
            return e == null ? null : e.metrics();
        }, params.batching().slots(), () -> sideRef.get() == null ? 0 : sideRef.get().running());
        BatchingEngine engine = BatchingEngine.start(model, params.batching(), metrics);
        engineRef.set(engine);
        SideSessions side = new SideSessions(model, params.sideSessions());
        sideRef.set(side);
        try {
            BatchingParams bp = engine.params();
            int cells = bp.nCtxPerSlot();
            int promptMax = params.maxPromptTokens() == 0 ? cells - 1 : Math.min(params.maxPromptTokens(), cells - 1);
            CompletionRequest.Limits limits = new CompletionRequest.Limits(modelId, model.nVocab(), model.bosToken(),
                    model.eosToken(), promptMax, cells, bp.slots() + bp.queueCapacity());
            Completions completions = new Completions(model.tokenizer(), engine, side, metrics, modelId);
            HttpApi api = new HttpApi(completions, limits, model.tokenizer(), metrics, engine, params.apiKey(),
                    params.maxBodyBytes(), Instant.now().getEpochSecond());
            CompletionServer server = new CompletionServer(params, engine, side, api, modelId);
            server.listen();
            return server;
        } catch (IOException | RuntimeException | Error e) {
            side.close();
            engine.close();
            throw e;
        }
    }

    /** The model file's {@code general.name}, else its file name without {@code .gguf}. */
    static String defaultModelId(Gpt2Model model) {
        String name = model.name();
        if (name != null && !name.isBlank()) {
            return name.strip();
        }
        String file = model.path().getFileName().toString();
        return file.endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
    }

    /** Binds the address and starts answering; on failure, stops what had started. */
    private void listen() throws IOException {
        try {
            jetty.start();
        } catch (IOException e) {
            stopQuietly();
            throw new IOException("cannot listen on " + params.host() + ":" + params.port() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            stopQuietly();
            throw new IllegalStateException("the HTTP server did not start: " + e.getMessage(), e);
        }
    }

    private void stopQuietly() {
        try {
            jetty.stop();
        } catch (Exception ignored) {
            // it did not start: nothing to stop
        }
    }

    /** The port listened on (the one picked when {@link ServerParams#port()} was 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://HOST:PORT/}. */
    public URI uri() {
        String host = params.host().contains(":") ? "[" + params.host() + "]" : params.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** The model's name in the API ({@code model} of requests). */
    public String modelId() {
        return modelId;
    }

    /** The engine's counters and gauges now. */
    public BatchingMetrics metrics() {
        return engine.metrics();
    }

    /**
     * Stops accepting connections and new requests (503), lets running requests end within {@code grace}, cancels
     * what is left then, and stops. A second call waits for the first.
     *
     * @return true if every request ended on its own within the grace period
     */
    public boolean shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        synchronized (this) {
            if (stopping) {
                awaitShutdownUninterruptibly();
                return clean;
            }
            stopping = true;
        }
        try {
            api.drain();
            connector.shutdown();
            long deadline = System.nanoTime() + grace.toNanos();
            boolean ok = engine.shutdown(grace);
            ok &= side.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            // the handlers write their last bytes (a cancelled stream's error event, a response)
            ok &= api.awaitIdle(Duration.ofSeconds(10));
            clean = ok;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        } finally {
            engine.close();
            side.close();
            try {
                jetty.stop();
            } catch (Exception e) {
                clean = false;
            }
            stopped.countDown();
        }
        return clean;
    }

    /** Blocks until the server has stopped. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    private void awaitShutdownUninterruptibly() {
        boolean interrupted = false;
        while (stopped.getCount() > 0) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #shutdown} with {@link ServerParams#shutdownGrace()}. Idempotent. */
    @Override
    public void close() {
        shutdown(params.shutdownGrace());
    }

    /** What Jetty answers by itself (a malformed request line, headers too large): OpenAI's error object too. */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() >= 400 ? response.getStatus() : 500;
            Object message = request.getAttribute(ERROR_MESSAGE);
            ApiException e = status >= 500 ? ApiException.internal(message == null ? "server error" : message.toString())
                    : ApiException.client(status, null, message == null ? "bad request" : message.toString());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, HttpApi.error(e).toString(), callback);
            return true;
        }
    }
}
