package dev.gpt2java.internal;

import dev.gpt2java.Gpt2;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Main class run in child JVMs by NativeCacheTwoJvmsTest: waits for the file {@code args[0]} to
 * appear (so that JVMs started together load together), then loads libgpt2 from the resources (the
 * cache under {@code -Dgpt2.native.cache}), evaluates a prompt on the model {@code args[1]} and
 * prints where the library came from and the most likely next token.
 */
public final class ExtractionProbe {

    private ExtractionProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path go = Path.of(args[0]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                System.out.println("never told to go: " + go);
                System.exit(4);
            }
            Thread.onSpinWait();
        }
        try (Gpt2Model model = Gpt2Model.load(Path.of(args[1]));
             Session session = model.newSession()) {
            float[] logits = session.eval(0, model.tokenizer().encode("Hello world"));
            System.out.println("from " + Gpt2.libraryLocation());
            System.out.println("cpu variant " + Gpt2.cpuVariant());
            System.out.println("argmax " + Gpt2.argmax(logits));
        }
    }
}
