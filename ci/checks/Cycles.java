import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Load, session, eval, close, over and over: what a long-running process that reloads models keeps.
 * Prints, every EVERY cycles, the process's resident set (VmRSS), the Java heap in use after a GC,
 * and the JVM's own count of native memory it knows of (direct and mapped buffers).
 *
 * Usage: java -cp JARS ci/checks/Cycles.java ENGINE MODEL CYCLES EVERY   (ENGINE: native or java)
 */
public final class Cycles {

    public static void main(String[] args) throws Exception {
        Engine engine = Engine.valueOf(args[0].toUpperCase(Locale.ROOT));
        Path model = Path.of(args[1]);
        int cycles = Integer.parseInt(args[2]);
        int every = Integer.parseInt(args[3]);
        ModelParams mp = ModelParams.defaults().withEngine(engine).withThreads(1);
        SessionParams sp = SessionParams.defaults().withNCells(16);
        int[] prompt = {464, 2068, 7586, 21831};
        long start = System.nanoTime();
        System.out.println("cycle\trss_mib\theap_mib\tseconds");
        for (int c = 1; c <= cycles; c++) {
            try (Gpt2Model m = Gpt2Model.load(model, mp); Session s = m.newSession(sp)) {
                int[] ids = new int[prompt.length];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = prompt[i] % m.nVocab();
                }
                s.eval(0, ids);
                m.tokenizer();
            }
            if (c == 1 || c % every == 0) {
                System.gc();
                long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
                System.out.printf(Locale.ROOT, "%d\t%.1f\t%.1f\t%.1f%n", c, rssKib() / 1024.0, heap / 1048576.0,
                        (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static long rssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status (" + ManagementFactory.getRuntimeMXBean().getName() + ")");
    }
}
