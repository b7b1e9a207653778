package dev.gpt2java.server;

/**
 * A request the server refuses, as OpenAI's error object says it:
 * {@code {"error": {"message", "type", "param", "code"}}} with an HTTP status.
 *
 * @param status     the HTTP status
 * @param type       {@code invalid_request_error} for the client's mistakes, {@code rate_limit_error} when busy,
 *                   {@code server_error} for the server's own
 * @param param      the request field at fault, or null
 * @param code       a short machine-readable reason, or null
 * @param retryAfter seconds for {@code Retry-After}, or 0 for none
 */
class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final String param;
    final String code;
    final int retryAfter;

    ApiException(int status, String type, String param, String code, String message, int retryAfter) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** 400: field {@code param} of the request is wrong. */
    static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, null, message, 0);
    }

    /** 400 with a code (e.g. {@code context_length_exceeded}). */
    static ApiException invalid(String param, String code, String message) {
        return new ApiException(400, "invalid_request_error", param, code, message, 0);
    }

    /** Another 4xx of the client's making (401, 404, 405, 413, 415). */
    static ApiException client(int status, String code, String message) {
        return new ApiException(status, "invalid_request_error", null, code, message, 0);
    }

    /** 429: every slot is busy and the queue is full (or every side session is); try again after a second. */
    static ApiException busy(String message) {
        return new ApiException(429, "rate_limit_error", null, "server_busy", message, 1);
    }

    /** 503: the server is shutting down. */
    static ApiException shuttingDown(String message) {
        return new ApiException(503, "server_error", null, "shutting_down", message, 0);
    }

    /** 500: a failure of the server's own. */
    static ApiException internal(String message) {
        return new ApiException(500, "server_error", null, null, message, 0);
    }
}
