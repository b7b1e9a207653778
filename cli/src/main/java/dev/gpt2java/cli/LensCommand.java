package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.inspect.Inspector;
import dev.gpt2java.inspect.LensEntry;
import dev.gpt2java.inspect.Trace;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gpt2 lens}: the logit lens, the top token each layer would predict at each position. */
@Command(name = "lens", mixinStandardHelpOptions = true,
        description = {"The logit lens: runs the text once and unembeds (final LayerNorm, then the output "
                + "matrix) the embeddings and each block's output at every position. Prints a table with "
                + "one row per layer (emb, 1..nLayer) and one column per input token: the most probable "
                + "token there (quoted, as in 'next'). The last row's last cell is the model's next-token "
                + "prediction.",
                "--png draws it as a heatmap: cell colour the top-1 probability, cell text the token."})
final class LensCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Mixin
    TextInput input;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", defaultValue = "1",
            description = "Also list the K most probable tokens of every layer at the last position, when K > 1 "
                    + "(default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--probs", description = "Show the top-1 probability after each token in the table.")
    boolean probs;

    @Mixin
    HeatmapFile heatmap;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw usage("--top-k must be >= 1, was " + k);
        }
        String text = input.read();
        try (Gpt2Model m = model.load()) {
            if (k > m.nVocab()) {
                throw usage("--top-k must be in 1.." + m.nVocab() + ", was " + k);
            }
            Gpt2Tokenizer tok = m.tokenizer();
            int[] ids = input.tokens(m, text);
            Trace t = Inspector.trace(m, ids, k);
            int n = t.length(), nLayer = t.nLayer();
            List<String> inputs = Pieces.pieces(tok, ids);
            List<String> layers = layerNames(nLayer);
            String[][] top = new String[nLayer + 1][n];
            double[][] p = new double[nLayer + 1][n];
            for (int l = 0; l <= nLayer; l++) {
                for (int i = 0; i < n; i++) {
                    LensEntry e = t.lens(l, i);
                    top[l][i] = Pieces.piece(tok, e.top());
                    p[l][i] = e.topProb();
                }
            }
            PrintWriter out = out();
            out.printf("%d tokens; logit lens of %s: top-1 token per layer (rows) and position (columns)%n",
                    n, Pieces.modelName(m));
            String[][] cells = new String[nLayer + 2][n + 1];
            cells[0][0] = "layer";
            for (int i = 0; i < n; i++) {
                cells[0][i + 1] = Pieces.quoted(inputs.get(i));
            }
            for (int l = 0; l <= nLayer; l++) {
                cells[l + 1][0] = layers.get(l);
                for (int i = 0; i < n; i++) {
                    cells[l + 1][i + 1] = Pieces.quoted(top[l][i]) + (probs ? String.format(" %.3f", p[l][i]) : "");
                }
            }
            printTable(out, cells);
            if (k > 1) {
                out.printf("%nlast position (%s), top %d per layer:%n", Pieces.quoted(inputs.get(n - 1)), k);
                for (int l = 0; l <= nLayer; l++) {
                    LensEntry e = t.lens(l, n - 1);
                    StringBuilder b = new StringBuilder(String.format("%-5s", layers.get(l)));
                    for (int j = 0; j < e.ids().length; j++) {
                        b.append("  ").append(Pieces.quoted(Pieces.piece(tok, e.ids()[j])))
                                .append(String.format(" %.4f", e.probs()[j]));
                    }
                    out.println(b);
                }
            }
            if (heatmap.given()) {
                String title = "Logit lens: " + Pieces.modelName(m) + ", top-1 token per layer and position";
                var img = Heatmap.render(title, List.of(new Heatmap.Panel("", p, top)), 1, inputs, layers,
                        "input token", "layer", "top-1 probability", 20);
                heatmap.write(out, img, title, inputs, layers);
            }
            out.flush();
        }
        return 0;
    }

    /** "emb", "1", ..., "nLayer". */
    static List<String> layerNames(int nLayer) {
        List<String> out = new ArrayList<>(nLayer + 1);
        out.add("emb");
        for (int l = 1; l <= nLayer; l++) {
            out.add(Integer.toString(l));
        }
        return out;
    }

    /** Columns padded to their widest cell, two spaces apart, no trailing spaces. */
    static void printTable(PrintWriter out, String[][] cells) {
        int cols = cells[0].length;
        int[] w = new int[cols];
        for (String[] row : cells) {
            for (int c = 0; c < cols; c++) {
                w[c] = Math.max(w[c], row[c].codePointCount(0, row[c].length()));
            }
        }
        for (String[] row : cells) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) {
                    b.append("  ");
                }
                b.append(row[c]);
                if (c < cols - 1) {
                    b.append(" ".repeat(w[c] - row[c].codePointCount(0, row[c].length())));
                }
            }
            out.println(b);
        }
    }
}
