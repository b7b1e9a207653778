package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** {@code decode(encode(s))} gives back every valid string, special tokens allowed or not. */
class RoundTripTest {

    @Test
    void decodeOfEncodeGivesBackAMillionGeneratedStrings() {
        Gpt2Tokenizer tok = TestData.gpt2();
        RandomText gen = new RandomText(4242L, false);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            texts.add(gen.next());
        }
        AtomicInteger failures = new AtomicInteger();
        Queue<String> examples = new ConcurrentLinkedQueue<>();
        IntStream.range(0, texts.size()).parallel().forEach(i -> {
            String s = texts.get(i);
            String back = tok.decode(tok.encode(s, (i & 1) == 1));
            if (!back.equals(s) && failures.incrementAndGet() <= 5) {
                examples.add(Show.literal(s) + " -> " + Show.literal(back));
            }
        });
        assertEquals(0, failures.get(), String.join("\n", examples));
    }

    @Test
    void decodeOfEncodeGivesBackTheCorpora() throws IOException {
        Gpt2Tokenizer tok = TestData.gpt2();
        List<Path> files = new ArrayList<>(TestData.sotuFiles());
        files.add(TestData.data("kjv.txt"));
        for (Path f : files) {
            String text = Files.readString(f);
            assertEquals(text, tok.decode(tok.encode(text)), f.toString());
        }
    }

    @Test
    void anUnpairedSurrogateIsEncodedAsTheReplacementCharacter() {
        Gpt2Tokenizer tok = TestData.gpt2();
        assertArrayEquals(tok.encode("a\uFFFDb"), tok.encode("a\uD800b"));
        assertArrayEquals(tok.encode("x \uFFFD\uFFFD"), tok.encode("x \uDC00\uD83D"));
        assertEquals("a\uFFFDb", tok.decode(tok.encode("a\uD800b")));
    }
}
