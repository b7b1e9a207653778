package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt2 next}: the most likely next tokens after a prompt. */
@Command(name = "next", mixinStandardHelpOptions = true,
        description = {"Evaluates the prompt and prints the k most likely next tokens: rank, id, token "
                + "(quoted; bytes of a cut character as \\xNN), probability (softmax over the whole "
                + "vocabulary), logit.",
                "An empty prompt starts from the model's BOS token (<|endoftext|>)."})
final class NextCommand implements Callable<Integer> {

    @ParentCommand
    Gpt2Cli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Parameters(arity = "0..1", paramLabel = "PROMPT",
            description = "The prompt; absent or '-': stdin (UTF-8, one trailing line break dropped).")
    String prompt;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", defaultValue = "10",
            description = "How many tokens to show (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--special", description = "Take <|endoftext|> in the prompt as the special token.")
    boolean special;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new ParameterException(spec.commandLine(), "-k must be >= 1, was " + k);
        }
        String text = TextInput.read(prompt, parent.stdin());
        try (Gpt2Model m = model.load(); Session session = m.newSession()) {
            Gpt2Tokenizer tokenizer = m.tokenizer();
            int[] ids = Prompts.tokens(m, tokenizer, text, special);
            float[] logits = Prompts.evalPrompt(session, 0, ids);
            double[] probs = softmax(logits);
            int[] top = topK(logits, Math.min(k, logits.length));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%d prompt tokens; next token, %d most likely of %d:%n", ids.length, top.length, logits.length);
            out.printf("%4s  %6s  %-24s  %11s  %10s%n", "rank", "id", "token", "probability", "logit");
            for (int r = 0; r < top.length; r++) {
                int id = top[r];
                String tok = "\"" + Display.tokenBytes(tokenizer.tokenBytes(id)).replace("\"", "\\\"") + "\"";
                out.printf("%4d  %6d  %-24s  %11.6f  %10.4f%n", r + 1, id, tok, probs[id], logits[id]);
            }
            out.flush();
        }
        return 0;
    }

    /** Softmax in double, max subtracted. */
    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The ids of the k largest logits, largest first; the lower id first on a tie (as argmax). */
    static int[] topK(float[] logits, int k) {
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Float.compare(logits[b], logits[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
