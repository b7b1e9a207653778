package dev.gpt2java.spark;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The models of this JVM (an executor's, or the driver's in local mode): each loaded once, by the first task
 * that needs it, and shared by every task after it, until {@link #unloadIdle()} or the JVM's end.
 */
final class ExecutorModels {

    /** A model and how it computes (slots above 1: a batching engine); tasks asking for the same key share one. */
    record Key(Path file, int threads, int slots) {
        boolean batched() {
            return slots > 1;
        }
    }

    /** A task's use of a model; {@link #close()} hands it back (the model stays loaded). */
    static final class Lease implements AutoCloseable {
        private final Loaded loaded;
        private boolean closed;

        private Lease(Loaded loaded) {
            this.loaded = loaded;
        }

        Gpt2Model model() {
            return loaded.model;
        }

        RowEngine engine() {
            return loaded.engine;
        }

        @Override
        public void close() {
            synchronized (ExecutorModels.class) {
                if (!closed) {
                    closed = true;
                    loaded.leases--;
                }
            }
        }
    }

    private static final class Loaded {
        final Gpt2Model model;
        final RowEngine engine;
        int leases;

        Loaded(Gpt2Model model, RowEngine engine) {
            this.model = model;
            this.engine = engine;
        }

        void close() {
            engine.close();
            model.close();
        }
    }

    /** Guarded by the class: a load is rare and the tasks that need the model wait for it anyway. */
    private static final Map<Key, Loaded> MODELS = new HashMap<>();
    private static long loads;
    private static boolean hooked;

    private ExecutorModels() {
    }

    /**
     * The model of {@code key}, loaded now if this JVM has not got it; {@code onLoad} runs once when it is.
     */
    static synchronized Lease acquire(Key key, Runnable onLoad) {
        Loaded loaded = MODELS.get(key);
        if (loaded == null) {
            loaded = load(key);
            MODELS.put(key, loaded);
            loads++;
            onLoad.run();
            if (!hooked) {
                hooked = true;
                Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "gpt2-spark-unload"));
            }
        }
        loaded.leases++;
        return new Lease(loaded);
    }

    private static Loaded load(Key key) {
        Gpt2Model model = Gpt2Model.load(key.file(), ModelParams.defaults().withThreads(key.batched() ? 1 : key.threads()));
        try {
            RowEngine engine = key.batched()
                    ? RowEngine.Batched.start(model, key.slots(), key.threads())
                    : new RowEngine.Sequential(model);
            return new Loaded(model, engine);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** Closes the models no task uses now; returns how many. */
    static synchronized int unloadIdle() {
        int n = 0;
        for (Iterator<Loaded> it = MODELS.values().iterator(); it.hasNext(); ) {
            Loaded l = it.next();
            if (l.leases == 0) {
                it.remove();
                l.close();
                n++;
            }
        }
        return n;
    }

    /** Models loaded by this JVM since it started. */
    static synchronized long loads() {
        return loads;
    }

    private static synchronized void closeAll() {
        MODELS.values().forEach(Loaded::close);
        MODELS.clear();
    }
}
