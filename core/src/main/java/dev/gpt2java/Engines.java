package dev.gpt2java;

import dev.gpt2java.spi.EngineProvider;
import dev.gpt2java.spi.ModelEngine;

import java.nio.file.Path;
import java.util.ServiceLoader;

/** Where each {@link Engine} comes from: libgpt2 is here; the others are found by {@link ServiceLoader}. */
final class Engines {

    private Engines() {
    }

    static ModelEngine load(Path path, ModelParams params) {
        Engine engine = params.engine();
        if (engine == Engine.NATIVE) {
            return NativeModelEngine.load(path, params);
        }
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader())) {
            if (p.engine() == engine) {
                return p.load(path, params);
            }
        }
        throw new UnsupportedOperationException("the " + engine.name().toLowerCase(java.util.Locale.ROOT)
                + " engine is not on the class or module path: add " + engine.artifact());
    }
}
