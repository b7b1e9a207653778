package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2;

import org.junit.jupiter.api.Test;

/** {@code gpt2 info} shows the model's hyper-parameters and the library loaded. */
class InfoCommandTest {

    @Test
    void showsHyperParametersWeightTypeBackendAndLibrary() {
        Cli.Result r = Cli.run("info", "-m", Cli.model(), "--backend", "cpu", "-t", "1");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        // fixtures/tiny-odd-heads/meta.json: 2 layers, 3 heads, 96 embd, 128 positions, 1000 tokens
        for (String expected : new String[] {"n_layer:       2\n", "n_head:        3\n", "n_embd:        96\n",
                "n_ctx_train:   128\n", "n_vocab:       1000\n", "weight type:   F32\n", "backend:       CPU",
                "threads:       1\n", "libgpt2:       " + Gpt2.libraryLocation()}) {
            assertTrue(out.replace("\r\n", "\n").contains(expected), "no '" + expected.strip() + "' in:\n" + out);
        }
        assertTrue(out.contains("cpu features:"), out);
        // the CPU variant libgpt2 reports, as the library itself says (a release build names a module)
        String variant = Gpt2.cpuVariant();
        assertTrue(out.contains("cpu variant:   " + (variant.isEmpty() ? "none: one CPU backend compiled into libgpt2"
                : variant) + "\n"), out);
        assertTrue(out.contains("backends:      devices: CPU"), out);
    }
}
