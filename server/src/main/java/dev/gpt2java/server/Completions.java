package dev.gpt2java.server;

import dev.gpt2java.batching.BatchingEngine;
import dev.gpt2java.batching.Generation;
import dev.gpt2java.batching.GenerationRequest;
import dev.gpt2java.batching.QueueFullException;
import dev.gpt2java.search.FinishReason;
import dev.gpt2java.search.GeneratedToken;
import dev.gpt2java.search.GenerationResult;
import dev.gpt2java.search.Hypothesis;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code POST /v1/completions}: each prompt × {@code best_of} is one request to the batching engine (or, with
 * {@code num_beams > 1}, one beam search on a side session), and the choices come back as one JSON response or as
 * server-sent chunks. The HTTP side is {@link Exchange}: it tells whether the client went away and takes the chunks.
 */
final class Completions {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The HTTP side of one request. */
    interface Exchange {
        /** Whether the client has gone away (the connection failed): what runs for it is cancelled. */
        boolean gone();

        /** Sends one server-sent event ({@code data: JSON}); the first call commits the 200 response. */
        void send(ObjectNode chunk) throws IOException;
    }

    /** The client went away: there is no one to answer. */
    static final class ClientGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGone(Throwable cause) {
            super("the client went away", cause);
        }
    }

    private final Gpt2Tokenizer tokenizer;
    private final BatchingEngine engine;
    private final SideSessions side;
    private final ServerMetrics metrics;
    private final String modelId;
    private final Duration timeout;

    /** Beam searches end at the engine's request timeout ({@link dev.gpt2java.batching.BatchingParams#defaultTimeout()}) too. */
    Completions(Gpt2Tokenizer tokenizer, BatchingEngine engine, SideSessions side, ServerMetrics metrics, String modelId) {
        this.tokenizer = tokenizer;
        this.engine = engine;
        this.side = side;
        this.metrics = metrics;
        this.modelId = modelId;
        this.timeout = engine.params().defaultTimeout();
    }

    /** One generated sequence: prompt {@code prompt}'s {@code j}-th of best_of. */
    private static final class Sequence {
        final int prompt;
        final int j;
        final int[] promptTokens;
        final List<GeneratedToken> tokens = new ArrayList<>();
        Generation generation;
        GenerationResult result;
        long submitted;
        long last;

        Sequence(int prompt, int j, int[] promptTokens) {
            this.prompt = prompt;
            this.j = j;
            this.promptTokens = promptTokens;
        }

        double meanLogprob() {
            return tokens.stream().mapToDouble(GeneratedToken::logprob).average().orElse(0);
        }
    }

    /** What the engine's subscribers hand to the request's thread. */
    private sealed interface Event {
    }

    private record Token(Sequence s, GeneratedToken token) implements Event {
    }

    private record End(Sequence s, GenerationResult result, Throwable failure) implements Event {
    }

    /**
     * Runs the request to its end: the response object, or (with {@code stream}) null after every chunk was sent.
     *
     * @throws ApiException for a busy or shutting-down server, or a failure
     * @throws ClientGone   when the client went away
     */
    ObjectNode run(CompletionRequest req, Exchange ex) throws IOException {
        // the echoed prompts' logprobs come first, from a side session (before a stream commits its 200)
        List<SideSessions.Scored> scored = new ArrayList<>();
        if (req.echo() && req.logprobs() >= 0) {
            for (int[] p : req.prompts()) {
                scored.add(side.score(p, req.logprobs()));
            }
        }
        Run run = new Run(req, ex, scored);
        return req.isBeamSearch() ? beams(run) : sample(run);
    }

    /** One request's answer being made: its id, its stream (if it is one), what it says of every choice. */
    private final class Run {
        final CompletionRequest req;
        final Exchange ex;
        final List<SideSessions.Scored> scored;
        final String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        final long created = Instant.now().getEpochSecond();

        Run(CompletionRequest req, Exchange ex, List<SideSessions.Scored> scored) {
            this.req = req;
            this.ex = ex;
            this.scored = scored;
        }

        /** A response's envelope: id, object, created, model. */
        ObjectNode envelope() {
            ObjectNode o = JSON.objectNode();
            o.put("id", id);
            o.put("object", "text_completion");
            o.put("created", created);
            o.put("model", modelId);
            return o;
        }

        /** Sends a stream's chunk of one choice. */
        void send(ObjectNode choice) throws IOException {
            ObjectNode o = envelope();
            o.putArray("choices").add(choice);
            if (req.includeUsage()) {
                o.putNull("usage");
            }
            ex.send(o);
        }

        /** The prompt's text of choice {@code c} with echo, else "". */
        String echoed(int c) {
            return req.echo() ? tokenizer.decode(req.prompts().get(c / req.n())) : "";
        }

        /** A new logprobs builder for choice {@code c}, the echoed prompt's tokens in it; null when not asked for. */
        Logprobs logprobs(int c) {
            if (req.logprobs() < 0) {
                return null;
            }
            Logprobs lp = new Logprobs(tokenizer);
            if (req.echo()) {
                int[] p = req.prompts().get(c / req.n());
                SideSessions.Scored s = scored.get(c / req.n());
                for (int i = 0; i < p.length; i++) {
                    lp.add(p[i], s.logprobs()[i], s.top().get(i));
                }
            }
            return lp;
        }

        /**
         * The end: the tokens counted; a stream's usage chunk (if asked) and null, else the response of
         * {@code choices}.
         */
        ObjectNode end(ArrayNode choices, long completion) throws IOException {
            metrics.tokens(req.promptTokens(), completion);
            ObjectNode usage = JSON.objectNode();
            usage.put("prompt_tokens", req.promptTokens());
            usage.put("completion_tokens", completion);
            usage.put("total_tokens", req.promptTokens() + completion);
            ObjectNode o = envelope();
            if (req.stream()) {
                if (req.includeUsage()) {
                    o.putArray("choices");
                    o.set("usage", usage);
                    ex.send(o);
                }
                return null;
            }
            o.set("choices", choices);
            o.set("usage", usage);
            return o;
        }
    }

    private static ObjectNode choice(int index, String text, ObjectNode logprobs, String finishReason) {
        ObjectNode c = JSON.objectNode();
        c.put("text", text);
        c.put("index", index);
        if (logprobs == null) {
            c.putNull("logprobs");
        } else {
            c.set("logprobs", logprobs);
        }
        if (finishReason == null) {
            c.putNull("finish_reason");
        } else {
            c.put("finish_reason", finishReason);
        }
        return c;
    }

    static String finishReason(FinishReason r) {
        return switch (r) {
            case EOS, STOP_STRING -> "stop";
            case LENGTH -> "length";
            case TIMEOUT -> "timeout";
            case CANCELLED -> "cancelled";
        };
    }

    // ------------------------------------------------------------------ the batching engine

    private ObjectNode sample(Run run) throws IOException {
        CompletionRequest req = run.req;
        int nPrompts = req.prompts().size();
        List<Sequence> seqs = new ArrayList<>();
        if (req.maxTokens() > 0) {
            for (int k = 0; k < nPrompts; k++) {
                for (int j = 0; j < req.bestOf(); j++) {
                    seqs.add(new Sequence(k, j, req.prompts().get(k)));
                }
            }
        }
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        submit(req, seqs, events);
        try {
            // the choices' builders: choice k * n + i (streams have best_of == n)
            int nChoices = nPrompts * req.n();
            Logprobs[] lps = new Logprobs[nChoices];
            for (int c = 0; c < nChoices; c++) {
                lps[c] = run.logprobs(c);
            }
            if (req.stream()) {
                for (int c = 0; c < nChoices; c++) {
                    if (req.echo()) {
                        run.send(choice(c, run.echoed(c), lps[c] == null ? null : lps[c].take(), null));
                    }
                    if (seqs.isEmpty()) {
                        run.send(choice(c, "", null, "length"));
                    }
                }
            }
            pump(run.ex, seqs, events, (s, g) -> {
                if (!req.stream()) {
                    return;
                }
                int c = s.prompt * req.n() + s.j;
                Logprobs lp = isEos(req, g) ? null : lps[c];
                if (lp != null) {
                    lp.add(g.token(), g.logprob(), g.topLogprobs());
                }
                if (!g.text().isEmpty() || lp != null) {
                    run.send(choice(c, g.text(), lp == null ? null : lp.take(), null));
                }
            }, s -> {
                if (req.stream()) {
                    run.send(choice(s.prompt * req.n() + s.j, "", null, finishReason(s.result.reason())));
                }
            });
            long completion = seqs.stream().mapToLong(s -> s.result.tokens().length).sum();
            if (req.stream()) {
                return run.end(null, completion);
            }
            ArrayNode choices = JSON.arrayNode();
            for (int k = 0; k < nPrompts; k++) {
                List<Sequence> best = new ArrayList<>();
                for (Sequence s : seqs) {
                    if (s.prompt == k) {
                        best.add(s);
                    }
                }
                // best_of: the n with the highest mean logprob (a stable sort keeps the order of equals)
                if (req.bestOf() > req.n()) {
                    best.sort(Comparator.comparingDouble(Sequence::meanLogprob).reversed());
                }
                for (int i = 0; i < req.n(); i++) {
                    int c = k * req.n() + i;
                    Logprobs lp = lps[c];
                    if (best.isEmpty()) { // max_tokens 0: the echoed prompt alone
                        choices.add(choice(c, run.echoed(c), lp == null ? null : lp.take(), "length"));
                        continue;
                    }
                    Sequence s = best.get(i);
                    if (lp != null) {
                        for (GeneratedToken g : s.tokens) {
                            if (!isEos(req, g)) {
                                lp.add(g.token(), g.logprob(), g.topLogprobs());
                            }
                        }
                    }
                    choices.add(choice(c, run.echoed(c) + s.result.text(), lp == null ? null : lp.take(),
                            finishReason(s.result.reason())));
                }
            }
            return run.end(choices, completion);
        } finally {
            for (Sequence s : seqs) {
                s.generation.cancel(); // harmless after the end; frees the slot if the request failed midway
            }
        }
    }

    /**
     * Whether {@code g} is an EOS token, which ends its sequence (it is the last one): it has no text, and is not shown
     * among the logprobs.
     */
    private static boolean isEos(CompletionRequest req, GeneratedToken g) {
        for (int e : req.generation().eosTokenIds()) {
            if (e == g.token()) {
                return true;
            }
        }
        return false;
    }

    /** Submits every sequence and subscribes to it; if one is refused, cancels those admitted before it. */
    private void submit(CompletionRequest req, List<Sequence> seqs, BlockingQueue<Event> events) {
        for (Sequence s : seqs) {
            GenerationRequest gr = GenerationRequest.of(s.promptTokens, req.sampler(s.j), req.generation());
            try {
                s.submitted = System.nanoTime();
                s.generation = engine.submit(gr);
            } catch (RuntimeException e) {
                for (Sequence before : seqs) {
                    if (before == s) {
                        break;
                    }
                    before.generation.cancel();
                }
                throw switch (e) {
                    case QueueFullException q -> ApiException.busy("the server is busy: every slot is taken and "
                            + q.queueCapacity() + " requests wait; try again later");
                    case IllegalStateException i -> ApiException.shuttingDown("the server is shutting down");
                    case IllegalArgumentException i -> ApiException.invalid("prompt", i.getMessage());
                    default -> e;
                };
            }
            s.generation.subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(GeneratedToken item) {
                    events.add(new Token(s, item));
                }

                @Override
                public void onError(Throwable throwable) {
                    events.add(new End(s, null, throwable));
                }

                @Override
                public void onComplete() {
                    s.generation.result().whenComplete((r, e) -> events.add(new End(s, r, e)));
                }
            });
        }
    }

    @FunctionalInterface
    private interface TokenSink {
        void accept(Sequence s, GeneratedToken g) throws IOException;
    }

    @FunctionalInterface
    private interface EndSink {
        void accept(Sequence s) throws IOException;
    }

    /**
     * Takes the engine's events until every sequence ended, handing each token and end to the sinks; cancels all
     * when the client goes away (or a send fails).
     */
    private void pump(Exchange ex, List<Sequence> seqs, BlockingQueue<Event> events, TokenSink onToken,
                      EndSink onEnd) throws IOException {
        int open = seqs.size();
        boolean gone = false;
        while (open > 0) {
            Event e;
            try {
                e = events.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                cancelAll(seqs);
                throw new ClientGone(x);
            }
            if (!gone && ex.gone()) {
                cancelAll(seqs); // they end at the engine's next step; their ends are still waited for
                gone = true;
            }
            if (e == null) {
                continue;
            }
            try {
                switch (e) {
                    case Token t -> {
                        long now = System.nanoTime();
                        Sequence s = t.s();
                        if (s.tokens.isEmpty()) {
                            metrics.firstToken(now - s.submitted);
                        } else {
                            metrics.betweenTokens(now - s.last);
                        }
                        s.last = now;
                        s.tokens.add(t.token());
                        if (!gone) {
                            onToken.accept(s, t.token());
                        }
                    }
                    case End end -> {
                        open--;
                        Sequence s = end.s();
                        if (end.failure() != null) {
                            cancelAll(seqs);
                            throw ApiException.internal("the generation failed: " + end.failure().getMessage());
                        }
                        s.result = end.result();
                        if (!gone && s.result.reason() == FinishReason.CANCELLED) {
                            cancelAll(seqs);
                            throw ApiException.shuttingDown("the server shut down before the completion ended");
                        }
                        if (!gone) {
                            onEnd.accept(s);
                        }
                    }
                }
            } catch (IOException io) {
                // the stream's write failed: the client went away
                cancelAll(seqs);
                gone = true;
            }
        }
        if (gone) {
            throw new ClientGone(null);
        }
    }

    private static void cancelAll(List<Sequence> seqs) {
        for (Sequence s : seqs) {
            s.generation.cancel();
        }
    }

    // ------------------------------------------------------------------ beam search

    private ObjectNode beams(Run run) throws IOException {
        CompletionRequest req = run.req;
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        int[] eos = req.beam().eosTokenIds();
        ArrayNode choices = JSON.arrayNode();
        long completion = 0;
        for (int k = 0; k < req.prompts().size(); k++) {
            int[] prompt = req.prompts().get(k);
            List<Hypothesis> found;
            try {
                found = req.maxTokens() == 0 ? List.of()
                        : side.beamSearch(prompt, req.beam(), () -> run.ex.gone() || System.nanoTime() > deadline);
            } catch (CancellationException e) {
                if (run.ex.gone()) {
                    throw new ClientGone(e);
                }
                if (System.nanoTime() > deadline) {
                    throw new ApiException(503, "server_error", null, "timeout", "the beam search did not end "
                            + "within the server's request timeout (" + timeout.toSeconds() + " s)", 0);
                }
                throw ApiException.shuttingDown("the server shut down before the beam search ended");
            }
            for (int i = 0; i < req.n(); i++) {
                int c = k * req.n() + i;
                String text = run.echoed(c);
                String reason = "length";
                if (i < found.size()) {
                    int[] toks = found.get(i).tokens();
                    completion += toks.length;
                    boolean endsWithEos = eos.length > 0 && toks.length > 0 && toks[toks.length - 1] == eos[0];
                    text += tokenizer.decode(endsWithEos ? Arrays.copyOf(toks, toks.length - 1) : toks);
                    reason = endsWithEos ? "stop" : "length";
                }
                if (req.stream()) {
                    run.send(choice(c, text, null, null));
                    run.send(choice(c, "", null, reason));
                } else {
                    choices.add(choice(c, text, null, reason));
                }
            }
        }
        return run.end(choices, completion);
    }
}
