package dev.gpt2java.server;

import dev.gpt2java.batching.BatchingParams;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link CompletionServer} listens and what it takes.
 *
 * @param host            the address to bind, {@code 127.0.0.1} by default; any other than a loopback one needs
 *                        an {@code apiKey} ({@link CompletionServer#start} refuses to start without it)
 * @param port            0..65535; 0: a free port, which {@link CompletionServer#port()} tells
 * @param batching        the continuous-batching engine's slots, cells per slot, threads, queue and request timeout
 *                        ({@link BatchingParams#defaultTimeout()} is every request's deadline, beam searches' too)
 * @param apiKey          the key every request but {@code GET /health} must present as
 *                        {@code Authorization: Bearer KEY}; null: none asked for
 * @param modelId         the model's name in the API ({@code model} of requests and responses, {@code /v1/models});
 *                        null: the model file's {@code general.name}, else its file name without {@code .gguf}
 * @param maxBodyBytes    the largest request body taken, 1..; a larger one is refused (413)
 * @param maxPromptTokens the most tokens one prompt may have, 1..; 0: a slot's cells less one (the room to
 *                        generate at least one token)
 * @param sideSessions    beam searches (and the prompt scoring of {@code echo} with {@code logprobs}) that run at
 *                        once, each on a session of its own beside the batching engine, 1..64; one more is refused (429)
 * @param shutdownGrace   how long {@link CompletionServer#close()} lets running requests end before it cancels them
 */
public record ServerParams(String host, int port, BatchingParams batching, String apiKey, String modelId,
                           int maxBodyBytes, int maxPromptTokens, int sideSessions, Duration shutdownGrace) {

    /** The default request body limit: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    public ServerParams {
        Objects.requireNonNull(host, "host");
        require(!host.isBlank(), "host must not be blank");
        require(port >= 0 && port <= 65535, "port must be in 0..65535 (0: a free one), was " + port);
        Objects.requireNonNull(batching, "batching");
        require(apiKey == null || !apiKey.isBlank(), "apiKey must not be blank (null: none)");
        require(modelId == null || !modelId.isBlank(), "modelId must not be blank (null: the model's name)");
        require(maxBodyBytes >= 1, "maxBodyBytes must be >= 1, was " + maxBodyBytes);
        require(maxPromptTokens >= 0, "maxPromptTokens must be >= 0 (0: a slot's cells less one), was " + maxPromptTokens);
        require(sideSessions >= 1 && sideSessions <= 64, "sideSessions must be in 1..64, was " + sideSessions);
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        require(!shutdownGrace.isNegative(), "shutdownGrace must be >= 0, was " + shutdownGrace);
    }

    /** 127.0.0.1:8080, the engine's defaults, no API key, the model's name, 1 MiB bodies, one side session, 30 s grace. */
    public static ServerParams defaults() {
        return new ServerParams("127.0.0.1", 8080, BatchingParams.defaults(), null, null, DEFAULT_MAX_BODY_BYTES, 0, 1,
                Duration.ofSeconds(30));
    }

    public ServerParams withHost(String host) {
        return new ServerParams(host, port, batching, apiKey, modelId, maxBodyBytes, maxPromptTokens, sideSessions,
                shutdownGrace);
    }

    public ServerParams withPort(int port) {
        return new ServerParams(host, port, batching, apiKey, modelId, maxBodyBytes, maxPromptTokens, sideSessions,
                shutdownGrace);
    }

    public ServerParams withBatching(BatchingParams batching) {
        return new ServerParams(host, port, batching, apiKey, modelId, maxBodyBytes, maxPromptTokens, sideSessions,
                shutdownGrace);
    }

    public ServerParams withApiKey(String apiKey) {
        return new ServerParams(host, port, batching, apiKey, modelId, maxBodyBytes, maxPromptTokens, sideSessions,
                shutdownGrace);
    }

    public ServerParams withModelId(String modelId) {
        return new ServerParams(host, port, batching, apiKey, modelId, maxBodyBytes, maxPromptTokens, sideSessions,
                shutdownGrace);
    }

    public ServerParams withMaxBodyBytes(int maxBodyBytes) {
        return new ServerParams(host, port, batching, apiKey, modelId, maxBodyBytes, maxPromptTokens, sideSessions,
                shutdownGrace);
    }

    public ServerParams withMaxPromptTokens(int maxPromptTokens) {
        return new ServerParams(host, port, batching, apiKey, modelId, maxBodyBytes, maxPromptTokens, sideSessions,
                shutdownGrace);
    }

    public ServerParams withSideSessions(int sideSessions) {
        return new ServerParams(host, port, batching, apiKey, modelId, maxBodyBytes, maxPromptTokens, sideSessions,
                shutdownGrace);
    }

    public ServerParams withShutdownGrace(Duration shutdownGrace) {
        return new ServerParams(host, port, batching, apiKey, modelId, maxBodyBytes, maxPromptTokens, sideSessions,
                shutdownGrace);
    }

    /** The key is not shown. */
    @Override
    public String toString() {
        return "ServerParams[host=" + host + ", port=" + port + ", batching=" + batching + ", apiKey="
                + (apiKey == null ? "none" : "(set)") + ", modelId=" + modelId + ", maxBodyBytes=" + maxBodyBytes
                + ", maxPromptTokens=" + maxPromptTokens + ", sideSessions=" + sideSessions + ", shutdownGrace="
                + shutdownGrace + "]";
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
