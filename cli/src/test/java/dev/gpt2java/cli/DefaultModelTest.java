package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Without -m, commands use the model bin/gpt2 names in gpt2.default.model (the project's own). */
class DefaultModelTest {

    @AfterEach
    void clear() {
        System.clearProperty(ModelOptions.DEFAULT_MODEL_PROPERTY);
    }

    @Test
    void theDefaultModelIsUsedWhenNoneIsNamed() {
        System.setProperty(ModelOptions.DEFAULT_MODEL_PROPERTY, Cli.model());
        Cli.Result r = Cli.run("info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("n_embd:        96"), r.out());
    }

    @Test
    void aMissingDefaultModelIsAUsageErrorThatSaysWhere() {
        System.setProperty(ModelOptions.DEFAULT_MODEL_PROPERTY, Path.of("nowhere", "gpt2-kjv.gguf").toString());
        Cli.Result r = Cli.run("generate", "hi");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("gpt2-kjv.gguf is missing"), r.err());
    }
}
