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

    @Test
    void anErrorAnsweredBeforeItsBodyArrivedKeepsTheConnection() throws Exception {
        // a 415 is answered before the body is read; the body comes late (as on a loaded machine), and the
        // next request rides the same connection: the server must read the body first, not close under it
        java.net.URI u = server.uri("/v1/completions");
        String ok = "{\"model\": \"tiny\", \"prompt\": \"In\", \"max_tokens\": 1}";
        try (java.net.Socket socket = new java.net.Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 10\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(500);
            out.write("0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + ok.length() + "\r\n\r\n" + ok).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            assertEquals("HTTP/1.1 415 Unsupported Media Type", in.readLine());
            skipBody(in);
            String second = in.readLine();
            assertEquals("HTTP/1.1 200 OK", second, "the answer to the request after the 415");
        }
    }

    /** Reads past one answer's headers and its Content-Length body. */
    private static void skipBody(java.io.BufferedReader in) throws java.io.IOException {
        int length = 0;
        for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();
        }
    }
}
