package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.testsupport.RandomModel;
import dev.gpt2java.testsupport.TestSupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@code gpt2 serve}: its options judged before the model loads, and the server it runs: one line with the URL on
 * stdout, and on SIGTERM a graceful stop (the running stream ends as it would) with exit status 0.
 */
class ServeCommandTest {

    @Test
    void aHostBeyondLoopbackWithoutAnApiKeyIsAUsageError() {
        Cli.Result r = Cli.run("serve", "-m", Cli.model(), "--host", "0.0.0.0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--api-key"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void outOfRangeOptionsAreUsageErrorsNamingTheOption() {
        usageError("--parallel must be in 1..256", "--parallel", "0");
        usageError("--queue must be >= 0", "--queue", "-1");
        usageError("--timeout must be >= 0", "--timeout", "-5");
        usageError("--ctx-size must be at most the model's context, 128", "--ctx-size", "4096");
    }

    /** {@code gpt2 serve -m tiny ARGS} is a usage error (exit code 2) whose message says {@code said}. */
    private static void usageError(String said, String... args) {
        List<String> cmd = new ArrayList<>(List.of("serve", "-m", Cli.model()));
        cmd.addAll(List.of(args));
        Cli.Result r = Cli.run(cmd.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(said), r.err());
    }

    @Test
    void aPortInUseIsAFailureSayingSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run("serve", "-m", Cli.model(), "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().startsWith("gpt2 serve: cannot listen on 127.0.0.1:" + taken.getLocalPort()), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void sigtermLetsTheRunningStreamEndThenExitsWithZero() throws Exception {
        // a random model with a long context, so the stream still runs when the signal comes
        Path model = TestSupport.randomModel("cli", "serve-long-context", RandomModel.defaults().withNCtx(2048));
        List<String> cmd = new ArrayList<>(TestSupport.childJvm(Gpt2Cli.class));
        cmd.addAll(List.of("serve", "-m", model.toString(), "--port", "0", "--parallel", "1", "-t", "1",
                "--model-name", "long"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null, "gpt2 serve printed nothing");
            Matcher m = Pattern.compile("listening on (http://\\S+)").matcher(line);
            assertTrue(m.find(), line);
            URI uri = URI.create(m.group(1));
            try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
                byte[] body = ("{\"model\": \"long\", \"prompt\": \"a\", \"max_tokens\": 1500, \"ignore_eos\": true, "
                        + "\"temperature\": 0, \"stream\": true}").getBytes(StandardCharsets.UTF_8);
                OutputStream o = s.getOutputStream();
                o.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                o.write(body);
                o.flush();
                s.setSoTimeout(60_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                List<String> data = new ArrayList<>();
                for (String l; (l = in.readLine()) != null; ) {
                    if (l.startsWith("data: ")) {
                        data.add(l);
                        if (data.size() == 1) {
                            p.destroy(); // SIGTERM
                        }
                        if (l.equals("data: [DONE]")) {
                            break;
                        }
                    }
                }
                assertEquals("data: [DONE]", data.getLast(), "the stream ran to its end");
                assertTrue(data.get(data.size() - 2).contains("\"finish_reason\":\"length\""), data.get(data.size() - 2));
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gpt2 serve stopped");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }
}
