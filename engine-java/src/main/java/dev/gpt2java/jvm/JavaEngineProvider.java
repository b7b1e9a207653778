package dev.gpt2java.jvm;

import dev.gpt2java.Engine;
import dev.gpt2java.ModelParams;
import dev.gpt2java.spi.EngineProvider;
import dev.gpt2java.spi.ModelEngine;

import java.nio.file.Path;

/** {@link Engine#JAVA} for {@link dev.gpt2java.Gpt2Model#load}: registered with ServiceLoader (module-info, META-INF/services). */
public final class JavaEngineProvider implements EngineProvider {

    @Override
    public Engine engine() {
        return Engine.JAVA;
    }

    @Override
    public ModelEngine load(Path path, ModelParams params) {
        return JavaModelEngine.load(path, params);
    }
}
