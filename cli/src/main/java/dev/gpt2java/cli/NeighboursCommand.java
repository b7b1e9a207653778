package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.inspect.Embeddings;
import dev.gpt2java.inspect.Neighbor;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.io.PrintWriter;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gpt2 neighbours}: the nearest tokens in the embedding matrix, and analogies. */
@Command(name = "neighbours", aliases = "neighbors", mixinStandardHelpOptions = true,
        description = {"The k tokens whose input embeddings (wte) have the highest cosine similarity to a "
                + "word's: rank, id, token (quoted), similarity. A word of one token is its embedding (so it "
                + "comes first, 1.0000); a word of several tokens is the mean of theirs.",
                "--analogy A B C: the tokens nearest to A - B + C, leaving out the tokens of A, B and C "
                        + "(\" king\" \" man\" \" woman\" should give \" queen\" on GPT-2).",
                "Mind GPT-2's leading space: \" king\" and \"king\" are different tokens."})
final class NeighboursCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Parameters(arity = "0..1", paramLabel = "WORD", description = "The word (or token, with --id).")
    String word;

    @Option(names = "--id", paramLabel = "ID", description = "The token with this id instead of a word.")
    Integer id;

    @Option(names = "--analogy", arity = "3", paramLabel = "WORD",
            description = "Three words A B C: the tokens nearest to A - B + C.")
    List<String> analogy;

    @Mixin
    TopKOption topK;

    @Override
    public Integer call() {
        int given = (word != null ? 1 : 0) + (id != null ? 1 : 0) + (analogy != null ? 1 : 0);
        if (given != 1) {
            throw usage(given == 0 ? "give a WORD, --id ID or --analogy A B C" : "give only one of WORD, --id ID and --analogy A B C");
        }
        topK.checked(); // before the model loads; at most n_vocab once it has
        try (Gpt2Model m = model.load()) {
            int k = topK.checked(m.nVocab());
            Gpt2Tokenizer tok = m.tokenizer();
            PrintWriter out = out();
            List<Neighbor> result;
            if (id != null) {
                if (id < 0 || id >= m.nVocab()) {
                    throw usage("--id must be in 0.." + (m.nVocab() - 1) + ", was " + id);
                }
                out.printf("nearest to token %d %s (cosine similarity of input embeddings):%n", id,
                        Pieces.quoted(Pieces.piece(tok, id)));
                result = Embeddings.nearest(m, id, k);
            } else if (word != null) {
                out.printf("nearest to %s (cosine similarity of input embeddings):%n", describe(m, tok, word));
                result = Embeddings.nearest(m, word, k);
            } else {
                out.printf("nearest to %s - %s + %s, those left out (cosine similarity of input embeddings):%n",
                        describe(m, tok, analogy.get(0)), describe(m, tok, analogy.get(1)), describe(m, tok, analogy.get(2)));
                result = Embeddings.analogy(m, analogy.get(0), analogy.get(1), analogy.get(2), k);
            }
            out.printf("%4s  %6s  %-24s  %10s%n", "rank", "id", "token", "similarity");
            for (int r = 0; r < result.size(); r++) {
                Neighbor nb = result.get(r);
                out.printf("%4d  %6d  %-24s  %10.4f%n", r + 1, nb.id(), Pieces.quoted(Pieces.piece(tok, nb.id())), nb.similarity());
            }
            out.flush();
        }
        return 0;
    }

    /** The word quoted, with its token ids ("the mean of" when several). */
    private static String describe(Gpt2Model m, Gpt2Tokenizer tok, String w) {
        int[] ids = Embeddings.tokensOf(m, w);
        if (ids.length == 1) {
            return Pieces.quotedText(w) + " (token " + ids[0] + ")";
        }
        return Pieces.quotedText(w) + " (mean of " + ids.length + " tokens "
                + String.join(" ", Pieces.pieces(tok, ids).stream().map(Pieces::quoted).toList()) + ")";
    }
}
