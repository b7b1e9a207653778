package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.sampling.Logits;
import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.io.PrintWriter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gpt2 next}: the most likely next tokens after a prompt. */
@Command(name = "next", mixinStandardHelpOptions = true,
        description = {"Evaluates the prompt and prints the k most likely next tokens: rank, id, token "
                + "(quoted; bytes of a cut character as \\xNN), probability (softmax over the whole "
                + "vocabulary), logit.",
                "An empty prompt starts from the model's BOS token (<|endoftext|>)."})
final class NextCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Mixin
    TextInput input;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", defaultValue = "10",
            description = "How many tokens to show (default: ${DEFAULT-VALUE}).")
    int k;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw usage("-k must be >= 1, was " + k);
        }
        String text = input.read();
        try (Gpt2Model m = model.load(); Session session = m.newSession()) {
            Gpt2Tokenizer tokenizer = m.tokenizer();
            int[] ids = input.tokens(m, text);
            float[] logits = BeamSearch.prefill(session, 0, ids);
            double[] probs = Logits.softmax(logits);
            int[] top = Logits.topK(logits, k);
            PrintWriter out = out();
            out.printf("%d prompt tokens; next token, %d most likely of %d:%n", ids.length, top.length, logits.length);
            out.printf("%4s  %6s  %-24s  %11s  %10s%n", "rank", "id", "token", "probability", "logit");
            for (int r = 0; r < top.length; r++) {
                int id = top[r];
                out.printf("%4d  %6d  %-24s  %11.6f  %10.4f%n", r + 1, id, Pieces.quoted(Pieces.piece(tokenizer, id)),
                        probs[id], logits[id]);
            }
            out.flush();
        }
        return 0;
    }
}
