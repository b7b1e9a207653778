package example;

import dev.gpt2java.Gpt2;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads the GGUF model given as argument with the gpt2-java jars from Maven, generates 16 tokens
 * greedily after a prompt and prints them: what a user of the published artifacts writes.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: Main MODEL.gguf [PROMPT]");
            System.exit(2);
        }
        Path modelFile = Path.of(args[0]);
        String prompt = args.length > 1 ? args[1] : "Hello world";
        try (Gpt2Model model = Gpt2Model.load(modelFile);
             Session session = model.newSession()) {
            Gpt2Tokenizer tokenizer = model.tokenizer();
            int[] out = new int[16];
            float[] logits = session.eval(0, tokenizer.encode(prompt));
            for (int i = 0; i < out.length; i++) {
                out[i] = Gpt2.argmax(logits);        // greedy
                logits = session.eval(0, out[i]);
            }
            System.out.println("libgpt2: " + Gpt2.libraryLocation());
            System.out.println("backend: " + model.backendName());
            System.out.println("cpu variant: " + Gpt2.cpuVariant());
            System.out.println("prompt: " + Arrays.toString(tokenizer.encode(prompt)));
            System.out.println("tokens: " + Arrays.toString(out));
            System.out.println("text: " + tokenizer.decode(out).replaceAll("\\p{Cntrl}", "?"));
        }
    }
}
