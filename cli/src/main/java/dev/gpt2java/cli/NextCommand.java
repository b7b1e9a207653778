package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.sampling.Logits;
import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gpt2 next}: the most likely next tokens after a prompt. */
@Command(name = "next", mixinStandardHelpOptions = true,
        description = {"Evaluates the prompt and prints the k most likely next tokens: rank, id, token "
                + "(quoted; bytes of a cut character as \\xNN), probability (softmax over the whole "
                + "vocabulary), logit.",
                "An empty prompt starts from the model's BOS token (<|endoftext|>).",
                "--score TEXT (repeatable) prints instead the log-probability of TEXT as the prompt's continuation: "
                        + "TEXT is tokenized apart and followed by <|endoftext|>, as gpt2 finetune joins a prompt and "
                        + "a response, and the natural logs of each token's probability are summed (what DPO "
                        + "compares)."})
final class NextCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Mixin
    TextInput input;

    @Mixin
    TopKOption topK;

    @Option(names = "--score", paramLabel = "TEXT", description = "Score TEXT + <|endoftext|> as the continuation "
            + "of the prompt: log-probability per token and summed (repeatable; replaces the top-k table).")
    List<String> score = List.of();

    @Override
    public Integer call() throws Exception {
        int k = topK.checked();
        String text = input.read();
        try (Gpt2Model m = model.load(); Session session = m.newSession()) {
            Gpt2Tokenizer tokenizer = m.tokenizer();
            int[] ids = input.tokens(m, text);
            float[] logits = BeamSearch.prefill(session, 0, ids);
            if (!score.isEmpty()) {
                return score(m, session, ids, logits);
            }
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

    /** Each {@code --score} text after the prompt: the log-probability of its tokens and a closing EOS. */
    private int score(Gpt2Model m, Session session, int[] prompt, float[] promptLogits) {
        Gpt2Tokenizer tokenizer = m.tokenizer();
        int eos = m.eosToken();
        if (eos < 0) {
            throw new IllegalArgumentException("--score: the model names no EOS token to close a continuation with");
        }
        PrintWriter out = out();
        out.printf("%d prompt tokens; log-probability (natural log) of each continuation and a closing <|endoftext|>:%n",
                prompt.length);
        out.printf("%10s  %6s  %s%n", "log-prob", "tokens", "continuation");
        for (String text : score) {
            int[] cont = tokenizer.encode(text);
            int[] all = new int[cont.length + 1];
            System.arraycopy(cont, 0, all, 0, cont.length);
            all[cont.length] = eos;
            if (prompt.length + all.length - 1 > m.nCtxTrain()) {
                throw new IllegalArgumentException("--score: the prompt and " + Pieces.quoted(text) + " need "
                        + (prompt.length + all.length - 1) + " positions; the model's context has " + m.nCtxTrain());
            }
            double sum = 0;
            StringBuilder per = new StringBuilder();
            float[] logits = promptLogits;
            for (int i = 0; i < all.length; i++) {
                double lp = Logits.logSoftmax(logits)[all[i]];
                sum += lp;
                per.append(i == 0 ? "" : " | ").append(Pieces.quoted(Pieces.piece(tokenizer, all[i])))
                        .append(String.format(Locale.ROOT, " %.4f", lp));
                if (i + 1 < all.length) {
                    logits = session.eval(0, all[i]);
                }
            }
            session.seqTruncate(0, prompt.length);
            out.printf(Locale.ROOT, "%10.4f  %6d  %s%n", sum, all.length, Pieces.quoted(text));
            out.printf("%10s  %6s  %s%n", "", "", per);
        }
        out.flush();
        return 0;
    }
}
