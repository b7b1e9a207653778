package dev.gpt2java.server;

import dev.gpt2java.batching.BatchingEngine;
import dev.gpt2java.batching.BatchingMetrics;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP side of the server, on Jetty's core API: routes, the API key, the body (size, content type, JSON),
 * OpenAI's error object for every refusal, server-sent events. Each request runs on a virtual thread of its own,
 * so it blocks on its generation; {@link #awaitIdle} lets a shutdown wait for those still answering.
 */
final class HttpApi extends Handler.Abstract {

    private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The endpoints and their one method each; what /metrics labels a request with. */
    private static final Map<String, String> ROUTES = Map.of(
            "/v1/completions", "POST",
            "/v1/models", "GET",
            "/health", "GET",
            "/metrics", "GET",
            "/tokenize", "POST",
            "/detokenize", "POST");
    private static final String MODEL_PATH = "/v1/models/";

    private final Completions completions;
    private final CompletionRequest.Limits limits;
    private final Gpt2Tokenizer tokenizer;
    private final ServerMetrics metrics;
    private final BatchingEngine engine;
    private final byte[] apiKeyHash;
    private final int maxBodyBytes;
    private final long startedEpochSecond;

    private volatile boolean draining;
    private int inFlight;

    HttpApi(Completions completions, CompletionRequest.Limits limits, Gpt2Tokenizer tokenizer, ServerMetrics metrics,
            BatchingEngine engine, String apiKey, int maxBodyBytes, long startedEpochSecond) {
        this.completions = completions;
        this.limits = limits;
        this.tokenizer = tokenizer;
        this.metrics = metrics;
        this.engine = engine;
        this.apiKeyHash = apiKey == null ? null : sha256(apiKey);
        this.maxBodyBytes = maxBodyBytes;
        this.startedEpochSecond = startedEpochSecond;
    }

    /** From now on every request but /health and /metrics is refused (503). */
    void drain() {
        draining = true;
    }

    /** Waits up to {@code d} for the requests being answered. */
    synchronized boolean awaitIdle(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (inFlight > 0) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private synchronized void enter() {
        inFlight++;
    }

    private synchronized void leave() {
        inFlight--;
        notifyAll();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String endpoint = ROUTES.containsKey(path) ? path : path.startsWith(MODEL_PATH) ? MODEL_PATH + "{id}" : "other";
        SseExchange exchange = new SseExchange(request, response);
        int status = 200;
        enter();
        try {
            try {
                status = route(request, response, path, exchange);
            } finally {
                exchange.release(); // before any callback: Jetty may read the connection's next request at once
            }
            callback.succeeded();
        } catch (Completions.ClientGone | IOException e) {
            status = 499; // nginx's "client closed request": no one to answer
            callback.failed(e);
        } catch (RuntimeException | Error e) {
            ApiException err = e instanceof ApiException a ? a : ApiException.internal("the server failed: " + e);
            if (err != e) {
                LOG.log(Level.ERROR, "request " + request.getMethod() + " " + path + " failed", e);
            }
            status = err.status;
            if (exchange.committed) {
                exchange.error(err); // a stream already started: the error as its last event
                callback.succeeded();
            } else {
                if (!discardBody(request)) {
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");  // the body's rest is not worth reading
                }
                writeError(response, callback, err);
            }
        } finally {
            metrics.request(endpoint, status);
            leave();
        }
        return true;
    }

    /** Answers the request; returns the status sent. */
    private int route(Request request, Response response, String path, SseExchange exchange) throws IOException {
        String method = request.getMethod();
        String allowed = ROUTES.get(path);
        if (allowed == null && path.startsWith(MODEL_PATH) && path.length() > MODEL_PATH.length()) {
            allowed = "GET";
        }
        if (allowed == null) {
            throw ApiException.client(404, "not_found", "unknown path " + path + ": this server has POST /v1/completions, "
                    + "GET /v1/models, GET /health, GET /metrics, POST /tokenize, POST /detokenize");
        }
        if (!path.equals("/health")) {
            authorize(request);
        }
        if (!allowed.equals(method)) {
            throw new MethodNotAllowed(path, allowed);
        }
        if (draining && !path.equals("/health") && !path.equals("/metrics")) {
            throw ApiException.shuttingDown("the server is shutting down");
        }
        switch (path) {
            case "/health" -> {
                BatchingMetrics m = engine.metrics();
                ObjectNode o = JSON.objectNode();
                o.put("status", draining ? "shutting_down" : "ok");
                o.put("slots", engine.params().slots());
                o.put("slots_active", m.active());
                o.put("queued", m.queued());
                return writeJson(response, draining ? 503 : 200, o);
            }
            case "/metrics" -> {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, ServerMetrics.CONTENT_TYPE);
                Content.Sink.write(response, true, ByteBuffer.wrap(metrics.scrape()));
                return 200;
            }
            case "/v1/models" -> {
                ObjectNode o = JSON.objectNode();
                o.put("object", "list");
                o.putArray("data").add(model());
                return writeJson(response, 200, o);
            }
            case "/tokenize" -> {
                return writeJson(response, 200, tokenize(body(request)));
            }
            case "/detokenize" -> {
                return writeJson(response, 200, detokenize(body(request)));
            }
            case "/v1/completions" -> {
                CompletionRequest req = CompletionRequest.parse(body(request), tokenizer, limits);
                ObjectNode done = completions.run(req, exchange);
                if (done != null) {
                    exchange.release(); // before the answer: its client may send the next request at once
                    return writeJson(response, 200, done);
                }
                exchange.done();
                return 200;
            }
            default -> {
                String id = path.substring(MODEL_PATH.length());
                if (!id.equals(limits.modelId())) {
                    throw new ApiException(404, "invalid_request_error", "model", "model_not_found", "the model '" + id
                            + "' does not exist: this server serves '" + limits.modelId() + "'", 0);
                }
                return writeJson(response, 200, model());
            }
        }
    }

    private ObjectNode model() {
        ObjectNode m = JSON.objectNode();
        m.put("id", limits.modelId());
        m.put("object", "model");
        m.put("created", startedEpochSecond);
        m.put("owned_by", "gpt2-java");
        return m;
    }

    /** {"content": "...", "parse_special": false, "with_pieces": false} to {"tokens": [...]}, as llama-server's. */
    private ObjectNode tokenize(JsonNode body) {
        JsonFields f = JsonFields.of(body);
        String content = f.string("content");
        if (content == null) {
            throw ApiException.invalid("content", "'content' is required: the text to tokenize");
        }
        boolean special = f.bool("parse_special", false);
        boolean pieces = f.bool("with_pieces", false);
        f.refuseUnread();
        ObjectNode o = JSON.objectNode();
        ArrayNode tokens = o.putArray("tokens");
        for (int id : tokenizer.encode(content, special)) {
            if (pieces) {
                ObjectNode t = tokens.addObject();
                t.put("id", id);
                t.put("piece", Logprobs.text(tokenizer, id));
            } else {
                tokens.add(id);
            }
        }
        return o;
    }

    /** {"tokens": [...]} to {"content": "..."}. */
    private ObjectNode detokenize(JsonNode body) {
        JsonFields f = JsonFields.of(body);
        JsonNode tokens = f.get("tokens");
        f.refuseUnread();
        if (tokens == null || !tokens.isArray()) {
            throw ApiException.invalid("tokens", "'tokens' is required: an array of token ids, was "
                    + JsonFields.kind(tokens));
        }
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = tokens.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 0 || t.intValue() >= limits.nVocab()) {
                throw ApiException.invalid("tokens", "'tokens' must hold token ids in 0.." + (limits.nVocab() - 1)
                        + ", has " + JsonFields.kind(t) + " at " + i);
            }
            ids[i] = t.intValue();
        }
        ObjectNode o = JSON.objectNode();
        o.put("content", tokenizer.decode(ids));
        return o;
    }

    // ------------------------------------------------------------------ the request

    /** {@code Authorization: Bearer KEY}, compared in constant time (both hashed to the same length). */
    private void authorize(Request request) {
        if (apiKeyHash == null) {
            return;
        }
        String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.client(401, "invalid_api_key", "this server needs an API key: send the header "
                    + "'Authorization: Bearer KEY'");
        }
        if (!MessageDigest.isEqual(sha256(h.substring(7).strip()), apiKeyHash)) {
            throw ApiException.client(401, "invalid_api_key", "incorrect API key provided");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Reads and drops what is left of the request's body, at most maxBodyBytes, so that the connection can
     * serve the client's next request after an answer given before the body was read (401, 404, 405, 413,
     * 415): Jetty closes a connection whose request content is left unread, and a keep-alive client then
     * sends its next request into a closed connection ("header parser received no bytes"). False when more
     * was left, or it could not be read: the answer then says Connection: close.
     */
    private boolean discardBody(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] buf = new byte[8192];
            long left = maxBodyBytes + 1L;
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) >= 0; ) {
                left -= n;
            }
            return left > 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The JSON body: {@code application/json} (UTF-8), at most maxBodyBytes, well formed. */
    private JsonNode body(Request request) throws IOException {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (!isJson(type)) {
            throw ApiException.client(415, "unsupported_media_type", "the body must be JSON: send 'Content-Type: "
                    + "application/json', was " + (type == null ? "none" : "'" + type + "'"));
        }
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw tooLarge(declared + " bytes");
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(maxBodyBytes + 1);
        }
        if (bytes.length > maxBodyBytes) {
            throw tooLarge("more than " + maxBodyBytes + " bytes");
        }
        if (bytes.length == 0) {
            throw ApiException.invalid(null, "the request body is empty: it must be a JSON object");
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw ApiException.invalid(null, "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    private ApiException tooLarge(String size) {
        return ApiException.client(413, "request_too_large", "the request body has " + size + "; this server takes "
                + "at most " + maxBodyBytes);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=") && !p.replace("\"", "").equals("charset=utf-8")) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ the response

    private static int writeJson(Response response, int status, JsonNode body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, ByteBuffer.wrap(MAPPER.writeValueAsBytes(body)));
        return status;
    }

    /** OpenAI's error object. */
    static ObjectNode error(ApiException e) {
        ObjectNode o = JSON.objectNode();
        ObjectNode err = o.putObject("error");
        err.put("message", e.getMessage());
        err.put("type", e.type);
        if (e.param == null) {
            err.putNull("param");
        } else {
            err.put("param", e.param);
        }
        if (e.code == null) {
            err.putNull("code");
        } else {
            err.put("code", e.code);
        }
        return o;
    }

    private static void writeError(Response response, Callback callback, ApiException e) {
        try {
            if (e.retryAfter > 0) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(e.retryAfter));
            }
            if (e.status == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            }
            if (e instanceof MethodNotAllowed m) {
                response.getHeaders().put(HttpHeader.ALLOW, m.allowed);
            }
            writeJson(response, e.status, error(e));
            callback.succeeded();
        } catch (IOException | RuntimeException x) {
            callback.failed(x);
        }
    }

    /** 405, with the method the path takes. */
    private static final class MethodNotAllowed extends ApiException {
        private static final long serialVersionUID = 1L;
        final String allowed;

        MethodNotAllowed(String path, String allowed) {
            super(405, "invalid_request_error", null, "method_not_allowed", path + " takes " + allowed + " only", 0);
            this.allowed = allowed;
        }
    }

    /**
     * One request's exchange: whether its client went away, and its stream of server-sent events
     * ({@code data: JSON}, blank line; {@code data: [DONE]} last).
     *
     * <p>Jetty tells of a connection that fails while it reads or writes; but it does not read an HTTP/1.1
     * connection while the handler runs, and a non-streamed answer writes nothing until the end, so a client
     * that leaves before its answer would go unnoticed. So, once asked, the exchange watches the connection
     * itself: the endpoint says when it becomes readable, and a read then finds the end of input or a reset
     * (the client is gone) or, rarely, bytes of a pipelined next request, which cannot be put back: the
     * connection is then closed after this answer.
     */
    private static final class SseExchange implements Completions.Exchange {
        private final Response response;
        private final EndPoint endPoint;
        private final AtomicBoolean watching = new AtomicBoolean();
        private volatile boolean registered;
        private volatile boolean watchEnded;
        private volatile boolean released;
        private volatile boolean pipelined;
        private volatile boolean gone;
        boolean committed;

        SseExchange(Request request, Response response) {
            this.response = response;
            this.endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            request.addFailureListener(t -> gone = true);
            // a generation may leave the connection quiet for long: the request's timeout bounds it, not Jetty's
            request.addIdleTimeoutListener(t -> false);
        }

        @Override
        public boolean gone() {
            if (!gone && !released && watching.compareAndSet(false, true)) {
                watchEnded = false;
                // false: the connection already has a reader, which will see a close and fail the request
                registered = endPoint.tryFillInterested(Callback.from(this::readable, x -> watchEnded = true));
            }
            return gone;
        }

        /** The connection became readable while the request runs. */
        private void readable() {
            watchEnded = true;
            try {
                int n = endPoint.fill(BufferUtil.allocate(512));
                if (n < 0) {
                    gone = true;
                } else if (n > 0) {
                    pipelined = true;
                } else {
                    watching.set(false); // nothing after all: watch again at the next gone()
                }
            } catch (IOException e) {
                gone = true;
            }
        }

        /**
         * The request is answered or failed (before the answer's last bytes, else before Jetty is told; later calls do
         * nothing): the watch ends, leaving the connection to Jetty, which may otherwise take a keep-alive client's next
         * request for pipelined bytes; after a pipelined request's bytes were read, the connection closes after this answer.
         */
        void release() {
            if (released) {
                return;
            }
            released = true;
            if (registered && !watchEnded && endPoint instanceof AbstractEndPoint a) {
                a.getFillInterest().onFail(new CancellationException("answered"));
            }
            if (pipelined) {
                if (response.isCommitted()) {
                    endPoint.close();
                } else {
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                }
            }
        }

        @Override
        public void send(ObjectNode chunk) throws IOException {
            if (!committed) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                response.getHeaders().put("X-Accel-Buffering", "no");
                committed = true;
            }
            write("data: " + MAPPER.writeValueAsString(chunk) + "\n\n", false);
        }

        void done() throws IOException {
            if (!committed) {
                send(JSON.objectNode()); // a stream with no chunk (cannot happen: every choice ends with one)
            }
            write("data: [DONE]\n\n", true);
        }

        /** The error as the stream's last event, then [DONE]; a failure to write ends it silently. */
        void error(ApiException e) {
            try {
                write("data: " + MAPPER.writeValueAsString(HttpApi.error(e)) + "\n\n", false);
                write("data: [DONE]\n\n", true);
            } catch (IOException x) {
                gone = true;
            }
        }

        private void write(String s, boolean last) throws IOException {
            if (last) {
                release(); // before the last bytes: once they are out, the client may send its next request
            }
            try {
                Content.Sink.write(response, last, ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                gone = true;
                throw e;
            }
        }
    }
}
