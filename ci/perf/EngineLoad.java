// The batching engine alone (no HTTP) under a closed loop of clients, with the time of its evals: where a
// step's time goes between libgpt2 and the engine's Java work (not part of the build; docs/BENCHMARKS.md).
//
//   java --enable-native-access=ALL-UNNAMED \
//        -cp core/target/gpt2-java-0.1.0-SNAPSHOT.jar:core/target/gpt2-java-0.1.0-SNAPSHOT-linux-x86_64.jar:bindings/target/gpt2-java-bindings-0.1.0-SNAPSHOT.jar \
//        ci/perf/EngineLoad.java MODEL.gguf CLIENTS REQUESTS_PER_CLIENT THREADS
//
// Each request: 64 random token ids, exactly 128 greedy tokens; slots = clients, 256 cells each.
import dev.gpt2java.*;
import dev.gpt2java.batching.*;
import dev.gpt2java.search.*;
import dev.gpt2java.sampling.*;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.atomic.*;

public class EngineLoad {
    public static void main(String[] a) throws Exception {
        Path model = Path.of(a[0]);
        int clients = Integer.parseInt(a[1]);
        int perClient = Integer.parseInt(a[2]);
        int threads = Integer.parseInt(a[3]);
        try (Gpt2Model m = Gpt2Model.load(model)) {
            BatchingParams p = BatchingParams.defaults().withSlots(clients).withNCtxPerSlot(256).withThreads(threads);
            AtomicLong evalNs = new AtomicLong(), stepsN = new AtomicLong(), toks = new AtomicLong();
            // steps that carry prompt tokens (a chunk of a new request's prefill) apart from decode-only steps
            AtomicLong preNs = new AtomicLong(), preSteps = new AtomicLong(), preToks = new AtomicLong();
            AtomicLong decNs = new AtomicLong(), decSteps = new AtomicLong(), decSeqs = new AtomicLong();
            StepObserver obs = (dec, pre, tokens, nanos) -> {
                evalNs.addAndGet(nanos); stepsN.incrementAndGet(); toks.addAndGet(tokens);
                if (pre > 0) { preNs.addAndGet(nanos); preSteps.incrementAndGet(); preToks.addAndGet(tokens); }
                else { decNs.addAndGet(nanos); decSteps.incrementAndGet(); decSeqs.addAndGet(dec); }
            };
            try (BatchingEngine e = BatchingEngine.start(m, p, obs)) {
                Random r = new Random(1);
                long t0 = System.nanoTime();
                Thread[] ts = new Thread[clients];
                AtomicLong gen = new AtomicLong();
                for (int c = 0; c < clients; c++) {
                    int seed = c;
                    ts[c] = Thread.ofPlatform().start(() -> {
                        Random rr = new Random(seed);
                        for (int k = 0; k < perClient; k++) {
                            int[] prompt = new int[64];
                            for (int i = 0; i < 64; i++) prompt[i] = rr.nextInt(50000);
                            var g = e.submit(GenerationRequest.of(prompt, Sampler.GREEDY, new GenerationParams(128, 0, new int[0], 0, List.of(), 0)));
                            gen.addAndGet(g.result().join().tokens().length);
                        }
                    });
                }
                for (Thread t : ts) t.join();
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("clients %d: %d tokens in %.1f s = %.1f tok/s; steps %d, eval %.1f s (%.0f%%), mean step %.1f ms, eval %.1f ms, tokens/step %.1f%n",
                    clients, gen.get(), s, gen.get() / s, stepsN.get(), evalNs.get() / 1e9, 100 * evalNs.get() / 1e9 / s,
                    s * 1e3 / stepsN.get(), evalNs.get() / 1e6 / stepsN.get(), (double) toks.get() / stepsN.get());
                System.out.printf("  decode-only steps %d: eval %.2f ms, %.1f sequences; steps with a prompt chunk %d: eval %.2f ms, %.1f tokens; "
                    + "time outside evals %.1f%%%n",
                    decSteps.get(), decNs.get() / 1e6 / Math.max(1, decSteps.get()), (double) decSeqs.get() / Math.max(1, decSteps.get()),
                    preSteps.get(), preNs.get() / 1e6 / Math.max(1, preSteps.get()), (double) preToks.get() / Math.max(1, preSteps.get()),
                    100 - 100 * evalNs.get() / 1e9 / s);
            }
        }
    }
}
