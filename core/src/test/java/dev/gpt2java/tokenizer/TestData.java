package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.fail;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.gpt2java.internal.TokenizerData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the tokenizer tests find their data: the committed fixtures, and the files that
 * {@code ci/fetch-tokenizer-data.sh} fetches (OpenAI's GPT-2 files, the KJV, the State of the Union
 * addresses). Missing data fails the test, never skips it.
 */
final class TestData {

    private static volatile Gpt2Tokenizer gpt2;
    private static volatile Encoding r50k;

    private TestData() {
    }

    /** {@link TokenizerData#dir()}: where ci/fetch-tokenizer-data.sh puts it. */
    static Path dataDir() {
        return TokenizerData.dir();
    }

    /** A file of the fetched data; fails the test, saying how to fetch it, if it is missing. */
    static Path data(String relative) {
        Path f = dataDir().resolve(relative);
        if (!Files.exists(f)) {
            fail(f + " is missing: run ci/fetch-tokenizer-data.sh to fetch the tokenizer test data into "
                    + dataDir() + " (or point -Dgpt2.tokenizer.data at a folder that has it)");
        }
        return f;
    }

    /** GPT-2's own tokenizer, from OpenAI's encoder.json and vocab.bpe (loaded once). */
    static Gpt2Tokenizer gpt2() {
        Gpt2Tokenizer t = gpt2;
        if (t == null) {
            synchronized (TestData.class) {
                t = gpt2;
                if (t == null) {
                    try {
                        t = Gpt2Tokenizer.fromOpenAi(data("gpt2/encoder.json"), data("gpt2/vocab.bpe"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    gpt2 = t;
                }
            }
        }
        return t;
    }

    /** JTokkit's r50k_base: the oracle, tiktoken's GPT-2 encoding in Java. */
    static Encoding jtokkit() {
        Encoding e = r50k;
        if (e == null) {
            e = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
            r50k = e;
        }
        return e;
    }

    /** The committed fixtures ({@code -Dgpt2.fixtures.dir}, else {@code ../fixtures}). */
    static Path fixture(String name, String file) {
        Path d = Path.of(System.getProperty("gpt2.fixtures.dir", "../fixtures")).toAbsolutePath().normalize();
        Path f = d.resolve(name).resolve(file);
        if (!Files.isRegularFile(f)) {
            fail("fixture file " + f + " is missing (set -Dgpt2.fixtures.dir)");
        }
        return f;
    }

    /** A test resource of this package. */
    static String resource(String name) {
        try (var in = TestData.class.getResourceAsStream(name)) {
            if (in == null) {
                fail("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The State of the Union addresses, one text each, by file name. */
    static List<Path> sotuFiles() {
        try (Stream<Path> s = Files.list(data("sotu"))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
            if (files.size() != 233) {
                fail(data("sotu") + " has " + files.size() + " addresses, expected 233: rerun ci/fetch-tokenizer-data.sh");
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
