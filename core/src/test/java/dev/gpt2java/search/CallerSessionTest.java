package dev.gpt2java.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.sampling.Sampler;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A stream or search on the caller's session uses the sequence it is given and leaves the session open. */
class CallerSessionTest {

    @Test
    void streamOnASequenceOfTheCallersSession() {
        int[] prompt = Models.tiny().tokenizer().encode("Once upon a time");
        GenerationParams p = new GenerationParams(6, 0, new int[0], 0, List.of(), 0);
        int[] own = Generator.generateTokens(Models.tiny(), prompt, Sampler.GREEDY, p, t -> { }).tokens();
        try (Session session = Models.tiny().newSession(SessionParams.defaults().withNSeqMax(3))) {
            session.eval(1, 5, 6, 7);
            try (TokenStream ts = Generator.stream(session, 2, prompt, Sampler.GREEDY, p)) {
                ts.forEachRemaining(g -> { });
                assertArrayEquals(own, ts.tokens());
            }
            assertFalse(session.isClosed());
            assertEquals(3, session.seqLength(1), "other sequences untouched");
            // the last token is not evaluated: the stream evaluates a token only when it needs its logits
            assertEquals(prompt.length + own.length - 1, session.seqLength(2));
        }
    }
}
