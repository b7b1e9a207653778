package dev.gpt2java.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.batching.BatchingEngine;
import dev.gpt2java.batching.BatchingParams;
import dev.gpt2java.batching.GenerationRequest;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.GenerationParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the LangChain4j layer costs: the same greedy completions through {@link Gpt2LanguageModel#generate} and
 * through the library directly (encode, {@link BatchingEngine#submit}, the result), on one engine, one caller and
 * then 16 at once, alternating the two in rounds; the texts must be equal. A benchmark, not a test of the
 * default build: ci/perf/bench-langchain4j.sh runs it and docs/BENCHMARKS.md has its figures.
 */
@EnabledIfSystemProperty(named = "gpt2.lc4j.bench.model", matches = ".+")
class LangChain4jOverheadBenchmark {

    private static final Path MODEL = Path.of(System.getProperty("gpt2.lc4j.bench.model", ""));
    private static final int CALLS = Integer.getInteger("gpt2.lc4j.bench.calls", 64);
    private static final int TOKENS = Integer.getInteger("gpt2.lc4j.bench.tokens", 16);
    private static final int ROUNDS = 3;

    static List<String> prompts(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("Call " + i + ": the river of light ran north under old stone bridges, and a bell rang " + (i % 7));
        }
        return out;
    }

    /** Seconds for every prompt through {@code call}, {@code callers} at once; the texts into {@code texts}. */
    static double time(List<String> prompts, int callers, Function<String, String> call, List<String> texts) throws Exception {
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            List<Future<String>> fs = new ArrayList<>();
            for (String p : prompts) {
                fs.add(pool.submit(() -> call.apply(p)));
            }
            for (Future<String> f : fs) {
                texts.add(f.get());
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    @Test
    void theLangChain4jLayerAgainstTheLibrary() throws Exception {
        List<String> prompts = prompts(CALLS);
        StringBuilder md = new StringBuilder();
        md.append("| callers | library s | LangChain4j s | LangChain4j / library | calls | equal texts |\n|---|---|---|---|---|---|\n");
        try (Gpt2Model model = Gpt2Model.load(MODEL);
             BatchingEngine engine = BatchingEngine.start(model, BatchingParams.defaults().withSlots(16).withNCtxPerSlot(256));
             Gpt2LanguageModel lm = Gpt2LanguageModel.builder().model(model).engine(engine).maxTokens(TOKENS).build()) {
            GenerationParams params = GenerationParams.of(TOKENS, model.eosToken());
            Function<String, String> direct = p -> engine.submit(
                    GenerationRequest.of(model.tokenizer().encode(p), Sampler.GREEDY, params)).result().join().text();
            Function<String, String> viaLc4j = p -> lm.generate(p).content();
            time(prompts.subList(0, 8), 1, direct, new ArrayList<>());   // warm-up
            time(prompts.subList(0, 8), 1, viaLc4j, new ArrayList<>());
            for (int callers : new int[] {1, 16}) {
                double lib = 0;
                double lc = 0;
                List<String> a = new ArrayList<>();
                List<String> b = new ArrayList<>();
                for (int r = 0; r < ROUNDS; r++) {
                    List<String> ra = new ArrayList<>();
                    List<String> rb = new ArrayList<>();
                    lib += time(prompts, callers, direct, ra);
                    lc += time(prompts, callers, viaLc4j, rb);
                    a = ra;
                    b = rb;
                }
                int equal = 0;
                for (int i = 0; i < a.size(); i++) {
                    equal += a.get(i).equals(b.get(i)) ? 1 : 0;
                }
                md.append(String.format("| %d | %.2f | %.2f | %.3fx | %d x %d | %d/%d |%n", callers, lib, lc, lc / lib,
                        ROUNDS, CALLS, equal, a.size()));
                assertEquals(a, b, "the same completions through LangChain4j as through the library");
            }
        }
        System.out.print(md);
        String out = System.getProperty("gpt2.lc4j.bench.out");
        if (out != null) {
            Files.writeString(Path.of(out), md);
        }
    }
}
