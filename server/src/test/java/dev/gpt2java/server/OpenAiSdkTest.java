package dev.gpt2java.server;

import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OpenAI's own Java SDK, unchanged, against a running server: what its users would write works. */
class OpenAiSdkTest {

    private static final String PROMPT = "The quick brown fox";

    @RegisterExtension
    static final TestServer server = TestServer.forClass();
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        client = OpenAIOkHttpClient.builder().baseUrl(server.uri("/v1").toString()).apiKey("unused").maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static CompletionCreateParams.Builder greedy(int maxTokens) {
        return CompletionCreateParams.builder().model(TestServer.MODEL).prompt(PROMPT).maxTokens(maxTokens)
                .temperature(0.0);
    }

    private static int promptTokens(String text) {
        return server.model.tokenizer().encode(text).length;
    }

    @Test
    void aCompletionHasItsTextFinishReasonAndUsage() {
        Completion c = client.completions().create(greedy(12).build());
        assertEquals(TestServer.MODEL, c.model());
        assertTrue(c.id().startsWith("cmpl-"), c.id());
        assertEquals(1, c.choices().size());
        CompletionChoice choice = c.choices().getFirst();
        assertEquals(0, choice.index());
        assertFalse(choice.text().isEmpty());
        assertTrue(choice.logprobs().isEmpty());
        var usage = c.usage().orElseThrow();
        assertEquals(promptTokens(PROMPT), usage.promptTokens());
        String reason = choice.finishReason().asString();
        if (reason.equals("length")) {
            assertEquals(12, usage.completionTokens());
        } else {
            assertEquals("stop", reason);
            assertTrue(usage.completionTokens() <= 12);
        }
        assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens());
    }

    @Test
    void aStreamCarriesTheSameTextChunkByChunkThenItsUsage() {
        String whole = client.completions().create(greedy(20).build()).choices().getFirst().text();
        StringBuilder streamed = new StringBuilder();
        List<String> reasons = new ArrayList<>();
        List<Long> usages = new ArrayList<>();
        int chunks = 0;
        CompletionCreateParams p = greedy(20).streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true)
                .build()).build();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(p)) {
            for (Completion chunk : (Iterable<Completion>) stream.stream()::iterator) {
                chunks++;
                for (CompletionChoice ch : chunk.choices()) {
                    streamed.append(ch.text());
                    reasons.add(ch._finishReason().isNull() ? null : ch.finishReason().asString());
                }
                chunk.usage().ifPresent(u -> usages.add(u.completionTokens()));
            }
        }
        assertEquals(whole, streamed.toString());
        assertTrue(chunks > 2, "one chunk per token, then the end and the usage: " + chunks);
        assertNotEquals(null, reasons.getLast(), "the last choice chunk has the finish reason");
        assertEquals(1, reasons.stream().filter(r -> r != null).count());
        assertEquals(1, usages.size(), "one usage chunk, the last");
    }

    @Test
    void logprobsGiveEachTokenItsLogprobTopAlternativesAndOffset() {
        CompletionChoice c = client.completions().create(greedy(10).logprobs(3).build()).choices().getFirst();
        CompletionChoice.Logprobs lp = c.logprobs().orElseThrow();
        List<String> tokens = lp.tokens().orElseThrow();
        List<Double> logprobs = lp.tokenLogprobs().orElseThrow();
        List<Long> offsets = lp.textOffset().orElseThrow();
        var tops = lp.topLogprobs().orElseThrow();
        assertFalse(tokens.isEmpty());
        assertEquals(tokens.size(), logprobs.size());
        assertEquals(tokens.size(), offsets.size());
        assertEquals(tokens.size(), tops.size());
        assertEquals(c.text(), decode(tokens, true), "the tokens make the text (no EOS among them)");
        for (int i = 0; i < tokens.size(); i++) {
            assertEquals(decode(tokens.subList(0, i), false).codePoints().count(), offsets.get(i),
                    "token " + i + " starts after the whole characters before it");
            assertTrue(logprobs.get(i) <= 0, "a log-probability: " + logprobs.get(i));
            Map<String, JsonValue> top = tops.get(i)._additionalProperties();
            assertTrue(top.size() >= 3 && top.size() <= 4, "the 3 best, and the chosen one: " + top);
            // greedy: the chosen token is the best of its step
            double best = top.values().stream().mapToDouble(OpenAiSdkTest::number).max()
                    .orElseThrow();
            assertEquals(best, logprobs.get(i), 1e-9);
            assertEquals(logprobs.get(i), number(top.get(tokens.get(i))), 1e-12);
        }
    }

    @Test
    void aStopStringEndsTheTextBeforeIt() {
        String whole = client.completions().create(greedy(30).build()).choices().getFirst().text();
        assertTrue(whole.length() > 12, whole);
        String stop = whole.substring(8, 11);
        String expected = whole.substring(0, whole.indexOf(stop));
        CompletionChoice c = client.completions().create(greedy(30).stop(stop).build()).choices().getFirst();
        assertEquals(expected, c.text());
        assertEquals("stop", c.finishReason().asString());
        CompletionChoice listed = client.completions().create(greedy(30).stopOfStrings(List.of("\u0000never", stop))
                .build()).choices().getFirst();
        assertEquals(expected, listed.text());
    }

    @Test
    void nChoicesAreSeededDrawsOfTheirOwnReproducibleWithTheSeed() {
        CompletionCreateParams p = CompletionCreateParams.builder().model(TestServer.MODEL).prompt(PROMPT).maxTokens(8)
                .n(3).temperature(1.0).seed(42).build();
        Completion a = client.completions().create(p);
        Completion b = client.completions().create(p);
        assertEquals(3, a.choices().size());
        assertEquals(List.of(0L, 1L, 2L), a.choices().stream().map(CompletionChoice::index).toList());
        assertEquals(a.choices().stream().map(CompletionChoice::text).toList(),
                b.choices().stream().map(CompletionChoice::text).toList(), "the same seed, the same draws");
        assertTrue(a.choices().stream().map(CompletionChoice::text).distinct().count() > 1,
                "each choice draws with a generator of its own: " + a.choices());
        assertEquals(promptTokens(PROMPT), a.usage().orElseThrow().promptTokens(), "the prompt counts once");
    }

    @Test
    void echoPutsThePromptBeforeTheText() {
        String text = client.completions().create(greedy(6).build()).choices().getFirst().text();
        String echoed = client.completions().create(greedy(6).echo(true).build()).choices().getFirst().text();
        assertEquals(PROMPT + text, echoed);
    }

    @Test
    void echoWithLogprobsScoresThePromptTokensTheFirstWithout() {
        CompletionChoice c = client.completions().create(greedy(4).echo(true).logprobs(1).build()).choices().getFirst();
        CompletionChoice.Logprobs lp = c.logprobs().orElseThrow();
        int n = promptTokens(PROMPT);
        List<String> tokens = lp.tokens().orElseThrow();
        assertTrue(tokens.size() >= n);
        assertEquals(PROMPT, String.join("", tokens.subList(0, n)));
        assertNull(lp.tokenLogprobs().orElseThrow().getFirst(), "nothing comes before the first token");
        assertTrue(lp.tokenLogprobs().orElseThrow().subList(1, tokens.size()).stream().allMatch(x -> x <= 0));
        assertEquals(c.text(), String.join("", tokens));
    }

    @Test
    void tokenIdPromptsAreThePromptsTheirTextsEncodeTo() {
        Gpt2Tokenizer tok = server.model.tokenizer();
        String second = "Once upon a time";
        List<Long> ids = Arrays.stream(tok.encode(PROMPT)).mapToObj(i -> (long) i).toList();
        List<Long> ids2 = Arrays.stream(tok.encode(second)).mapToObj(i -> (long) i).toList();
        String byText = client.completions().create(greedy(8).build()).choices().getFirst().text();
        String byIds = client.completions().create(greedy(8).promptOfArrayOfTokens(ids).build()).choices().getFirst()
                .text();
        assertEquals(byText, byIds);

        Completion both = client.completions().create(greedy(8).promptOfArrayOfTokenArrays(List.of(ids, ids2)).build());
        assertEquals(2, both.choices().size());
        assertEquals(byText, both.choices().get(0).text());
        String secondByText = client.completions().create(greedy(8).prompt(second).build()).choices().getFirst().text();
        assertEquals(secondByText, both.choices().get(1).text());
        assertEquals(ids.size() + ids2.size(), both.usage().orElseThrow().promptTokens());

        Completion strings = client.completions().create(greedy(8).promptOfArrayOfStrings(List.of(PROMPT, second))
                .build());
        assertEquals(List.of(byText, secondByText), strings.choices().stream().map(CompletionChoice::text).toList());
    }

    @Test
    void bestOfReturnsTheNMostLikelyOfItsDraws() {
        CompletionCreateParams p = CompletionCreateParams.builder().model(TestServer.MODEL).prompt(PROMPT).maxTokens(6)
                .bestOf(4).n(2).temperature(1.0).seed(7).logprobs(0).build();
        Completion c = client.completions().create(p);
        assertEquals(2, c.choices().size());
        double first = mean(c.choices().get(0)), second = mean(c.choices().get(1));
        assertTrue(first >= second, "best first: " + first + " then " + second);
        assertTrue(c.usage().orElseThrow().completionTokens() > IntStream.range(0, 2)
                .map(i -> c.choices().get(i).logprobs().orElseThrow().tokens().orElseThrow().size()).sum(),
                "usage counts the four draws");
    }

    /**
     * The text of tokens as the API shows them (text, or {@code bytes:\\xNN...} for a piece of a character): the
     * whole characters only, or ({@code flush}) with U+FFFD for an unfinished one at the end.
     */
    static String decode(List<String> tokens, boolean flush) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String t : tokens) {
            if (t.startsWith("bytes:")) {
                for (String hex : t.substring(6).split("\\\\x")) {
                    if (!hex.isEmpty()) {
                        bytes.write(Integer.parseInt(hex, 16));
                    }
                }
            } else {
                bytes.writeBytes(t.getBytes(StandardCharsets.UTF_8));
            }
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = CharBuffer.allocate(bytes.size() + 1);
        ByteBuffer in = ByteBuffer.wrap(bytes.toByteArray());
        d.decode(in, out, flush);
        if (flush) {
            d.flush(out);
        }
        return out.flip().toString();
    }

    private static double number(JsonValue v) {
        return ((Number) v.asNumber().orElseThrow()).doubleValue();
    }

    private static double mean(CompletionChoice c) {
        return c.logprobs().orElseThrow().tokenLogprobs().orElseThrow().stream().mapToDouble(Double::doubleValue)
                .average().orElseThrow();
    }

    @Test
    void theModelIsListedAndOthersAreNotFound() {
        List<Model> models = client.models().list().data();
        assertEquals(List.of(TestServer.MODEL), models.stream().map(Model::id).toList());
        assertEquals(TestServer.MODEL, client.models().retrieve("tiny").id());
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> client.completions().create(greedy(4).model("gpt-3.5-turbo-instruct").build()));
        assertEquals("model", e.param().orElseThrow());
    }

    @Test
    void aBadFieldIsABadRequestNamingIt() {
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> client.completions().create(greedy(4).temperature(5.0).build()));
        assertEquals(400, e.statusCode());
        assertEquals("temperature", e.param().orElseThrow());
        assertEquals("invalid_request_error", e.type().orElseThrow());
    }
}
