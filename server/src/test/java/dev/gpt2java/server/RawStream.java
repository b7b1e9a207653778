package dev.gpt2java.server;

import dev.gpt2java.testsupport.RandomModel;
import dev.gpt2java.testsupport.TestSupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A completions stream over a raw HTTP/1.1 socket, which the test reads as it likes and closes with a reset (so the
 * server's next write fails, as when a client dies).
 */
final class RawStream implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;

    RawStream(int port, String json) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoLinger(true, 0);
        socket.setSoTimeout(60_000);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** A small random model with a long context (4096 positions): one generation can take a while. */
    static Path longContextModel() {
        return TestSupport.randomModel("server", "long-context", RandomModel.defaults().withNCtx(4096));
    }

    /** A greedy stream of {@code maxTokens} tokens, EOS ignored, on model {@code model}. */
    static String request(String model, int maxTokens) {
        return "{\"model\": \"" + model + "\", \"prompt\": \"a\", \"max_tokens\": " + maxTokens
                + ", \"ignore_eos\": true, \"temperature\": 0, \"stream\": true}";
    }

    /** The status line, then the lines up to the first {@code data:} event, which it returns. */
    String firstEvent() throws IOException {
        String status = in.readLine();
        assertTrue(status != null && status.contains(" 200 "), "status: " + status);
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("data: ")) {
                return line.substring(6);
            }
        }
        throw new AssertionError("the stream ended before its first event");
    }

    /** The data of the events that follow, up to and with {@code [DONE]} (chunked framing lines left out). */
    List<String> rest() throws IOException {
        List<String> data = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
                if (line.equals("data: [DONE]")) {
                    return data;
                }
            }
        }
        throw new AssertionError("the stream ended without [DONE] after " + data.size() + " events");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
