import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many sessions of one model evaluating at once, each on its own Java thread: what a server that
 * gives every user a session pays. A round: SESSIONS sessions each open, evaluate a 4-token prompt
 * and then 32 tokens one at a time, and close. Prints each round's seconds and the median of the
 * rounds after the first (the first warms up), with the threads per session (0: the engine's
 * default, one per core).
 *
 * Usage: java -cp JARS ci/perf/ConcurrentSessions.java ENGINE MODEL SESSIONS THREADS [ROUNDS]
 *        (ENGINE: native or java; ROUNDS default 6)
 */
public final class ConcurrentSessions {

    public static void main(String[] args) throws Exception {
        Engine engine = Engine.valueOf(args[0].toUpperCase(Locale.ROOT));
        Path model = Path.of(args[1]);
        int sessions = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 6;
        int tokens = 32;
        try (Gpt2Model m = Gpt2Model.load(model, ModelParams.defaults().withEngine(engine).withThreads(threads));
             ExecutorService pool = Executors.newFixedThreadPool(sessions)) {
            int[] prompt = {464 % m.nVocab(), 2068 % m.nVocab(), 7586 % m.nVocab(), 21831 % m.nVocab()};
            double[] seconds = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int s = 0; s < sessions; s++) {
                    done.add(pool.submit(() -> {
                        try (Session session = m.newSession(SessionParams.defaults().withNCells(64))) {
                            session.eval(0, prompt);
                            for (int i = 0; i < tokens; i++) session.eval(0, (i * 7) % m.nVocab());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get();
                seconds[r] = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "round %d\t%.3f s%n", r, seconds[r]);
            }
            double[] warm = Arrays.copyOfRange(seconds, Math.min(1, rounds - 1), rounds);
            Arrays.sort(warm);
            System.out.printf(Locale.ROOT, "%s sessions=%d threads=%d: median %.3f s a round (%d rounds after the first)%n",
                    engine.name().toLowerCase(Locale.ROOT), sessions, threads, warm[warm.length / 2], warm.length);
        }
    }
}
