package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** A stream of tokens decodes to whole characters only, and in all to what decode() gives. */
class StreamingDecoderTest {

    private static boolean hasBrokenCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\uFFFD') {
                return true;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anEmojiSpreadOverTokensComesOutWholeWithItsLastToken() {
        Gpt2Tokenizer tok = TestData.gpt2();
        int[] ids = tok.encode("😀");
        assertTrue(ids.length > 1, "GPT-2 spreads 😀 over tokens");
        StreamingDecoder d = tok.streamingDecoder();
        for (int i = 0; i < ids.length - 1; i++) {
            assertEquals("", d.accept(ids[i]));
            assertTrue(d.hasPending());
        }
        assertEquals("😀", d.accept(ids[ids.length - 1]));
        assertFalse(d.hasPending());
        assertEquals("", d.flush());
    }

    @Test
    void validTextStreamsWithoutABrokenCharacterAndJoinsToTheText() {
        Gpt2Tokenizer tok = TestData.gpt2();
        RandomText gen = new RandomText(11L, false);
        for (int n = 0; n < 100_000; n++) {
            String text = gen.next();
            if (hasBrokenCharacter(text)) {
                continue; // U+FFFD from the random bytes would look broken
            }
            StreamingDecoder d = tok.streamingDecoder();
            StringBuilder all = new StringBuilder();
            for (int id : tok.encode(text, true)) {
                String out = d.accept(id);
                if (hasBrokenCharacter(out)) {
                    fail("broken character in " + Show.literal(out) + " from " + Show.literal(text));
                }
                all.append(out);
            }
            assertEquals("", d.flush(), Show.literal(text));
            assertEquals(text, all.toString());
        }
    }

    @Test
    void anyTokenSequenceStreamsToExactlyWhatDecodeGives() {
        Gpt2Tokenizer tok = TestData.gpt2();
        SplittableRandom rnd = new SplittableRandom(12);
        StreamingDecoder d = tok.streamingDecoder(); // reused: flush() starts a new stream
        for (int n = 0; n < 100_000; n++) {
            int[] ids = new int[rnd.nextInt(8)];
            for (int i = 0; i < ids.length; i++) {
                // byte tokens and tokens of one or two non-ASCII bytes, often cut characters
                ids[i] = rnd.nextInt(4) == 0 ? rnd.nextInt(tok.vocabSize()) : rnd.nextInt(256);
            }
            StringBuilder all = new StringBuilder();
            for (int id : ids) {
                all.append(d.accept(id));
            }
            all.append(d.flush());
            assertFalse(d.hasPending());
            assertEquals(Show.literal(tok.decode(ids)), Show.literal(all.toString()), java.util.Arrays.toString(ids));
        }
    }

    @Test
    void flushGivesOneReplacementCharacterForAnUnfinishedCharacter() {
        Gpt2Tokenizer tok = TestData.gpt2();
        int[] ids = tok.encode("😀");
        StreamingDecoder d = tok.streamingDecoder();
        assertEquals("", d.accept(ids[0]));
        assertEquals("\uFFFD", d.flush());
        assertEquals("", d.flush());
        assertEquals("a", d.accept(tok.encode("a")[0]));
    }

    @Test
    void anUnknownTokenIsRefusedAndLeavesTheStreamAsItWas() {
        Gpt2Tokenizer tok = TestData.gpt2();
        int[] ids = tok.encode("😀");
        StreamingDecoder d = tok.streamingDecoder();
        d.accept(ids[0]);
        assertThrows(IllegalArgumentException.class, () -> d.accept(tok.vocabSize()));
        assertThrows(IllegalArgumentException.class, () -> d.accept(-1));
        StringBuilder rest = new StringBuilder();
        for (int i = 1; i < ids.length; i++) {
            rest.append(d.accept(ids[i]));
        }
        assertEquals("😀", rest.toString());
    }
}
