package dev.gpt2java.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.gpt2java.internal.TokenizerData;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding throughput of our {@link Gpt2Tokenizer} against JTokkit's {@code r50k_base} (tiktoken's GPT-2
 * encoding in Java) on the same corpus, one call per chunk of text, single-threaded.
 *
 * <p>Corpus: {@code kjv.txt} (the King James Bible, ~4.1 MB) or {@code sotu/*.txt} (233 State of the
 * Union addresses, ~10.8 MB) from the folder {@code ci/fetch-tokenizer-data.sh} fills:
 * {@code -Dgpt2.tokenizer.data}, else {@code $GPT2_TOKENIZER_DATA}, else
 * {@code ${XDG_CACHE_HOME:-~/.cache}/gpt2-java/tokenizer-data}. The text is cut into chunks of about
 * {@code chunkChars} characters at line ends, as a server encodes documents one at a time; each
 * benchmark op encodes the whole corpus. Throughput: corpus tokens (and bytes) / op time, printed by
 * {@code ci/bench-tokenizer.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TokenizerBenchmark {

    @Param({"kjv"})
    public String corpus;

    @Param({"4096"})
    public int chunkChars;

    private Gpt2Tokenizer ours;
    private Encoding jtokkit;
    private List<String> chunks;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        Path data = TokenizerData.dir();
        ours = Gpt2Tokenizer.fromOpenAi(data.resolve("gpt2/encoder.json"), data.resolve("gpt2/vocab.bpe"));
        jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
        String text = corpusText(data, corpus);
        chunks = chunk(text, chunkChars);
        long oursTokens = 0;
        long theirTokens = 0;
        for (String c : chunks) {
            int[] a = ours.encode(c);
            int[] b = jtokkit.encodeOrdinary(c).toArray();
            if (!java.util.Arrays.equals(a, b)) {
                throw new IllegalStateException("the tokenizers disagree on a chunk of " + corpus + ": " + c.substring(0, Math.min(80, c.length())));
            }
            oursTokens += a.length;
            theirTokens += b.length;
        }
        // ci/bench-tokenizer.sh reads this line to turn ms/op into tokens/s and MB/s
        System.out.println("# corpus " + corpus + ": " + text.getBytes(StandardCharsets.UTF_8).length + " bytes, "
                + text.length() + " chars, " + oursTokens + " tokens (both tokenizers: " + theirTokens + "), "
                + chunks.size() + " chunks");
    }

    /** Our tokenizer: tokens of the whole corpus, chunk by chunk. */
    @Benchmark
    public long gpt2java() {
        long n = 0;
        for (String c : chunks) {
            n += ours.encode(c).length;
        }
        return n;
    }

    /** JTokkit r50k_base, encodeOrdinary (special tokens as text, as ours by default). */
    @Benchmark
    public long jtokkit() {
        long n = 0;
        for (String c : chunks) {
            n += jtokkit.encodeOrdinary(c).size();
        }
        return n;
    }

    static String corpusText(Path data, String corpus) throws IOException {
        return switch (corpus) {
            case "kjv" -> Files.readString(data.resolve("kjv.txt"));
            case "sotu" -> {
                try (Stream<Path> files = Files.list(data.resolve("sotu"))) {
                    List<Path> sorted = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
                    if (sorted.isEmpty()) {
                        throw new IOException(data.resolve("sotu") + " has no .txt files: run ci/fetch-tokenizer-data.sh");
                    }
                    StringBuilder b = new StringBuilder();
                    for (Path p : sorted) {
                        b.append(Files.readString(p)).append('\n');
                    }
                    yield b.toString();
                }
            }
            default -> throw new IllegalArgumentException("corpus must be kjv or sotu, was " + corpus);
        };
    }

    /** Pieces of about {@code size} chars, cut after a line break where there is one. */
    static List<String> chunk(String text, int size) {
        List<String> out = new java.util.ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int end = Math.min(text.length(), at + size);
            if (end < text.length()) {
                int nl = text.lastIndexOf('\n', end);
                if (nl > at) {
                    end = nl + 1;
                }
            }
            out.add(text.substring(at, end));
            at = end;
        }
        return out;
    }
}
