package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.inspect.Inspector;
import dev.gpt2java.inspect.Trace;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gpt2 attention}: attention weights as a PNG heatmap or a self-contained HTML page. */
@Command(name = "attention", mixinStandardHelpOptions = true,
        description = {"Runs the text once and draws the attention weights (query rows, key columns, "
                + "labelled with the input tokens). Layers and heads count from 1.",
                "--png with --layer L: one head (--head H) or a grid of all heads of layer L.",
                "--html: one self-contained page with every layer and head (selectors, a canvas; "
                        + "no external resources)."})
final class AttentionCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Mixin
    TextInput input;

    @Option(names = {"-l", "--layer"}, paramLabel = "L", description = "Layer, 1..nLayer (needed with --png).")
    Integer layer;

    @Option(names = "--head", paramLabel = "H", description = "Head, 1..nHead (default: all heads of the layer, in a grid).")
    Integer head;

    @Mixin
    HeatmapFile heatmap;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the page with all layers and heads to this HTML file.")
    Path html;

    @Override
    public Integer call() throws Exception {
        if (!heatmap.given() && html == null) {
            throw usage("nothing to write: give --png FILE and/or --html FILE");
        }
        if (heatmap.given() && layer == null) {
            throw usage("--png needs --layer L");
        }
        if (head != null && layer == null) {
            throw usage("--head needs --layer L");
        }
        String text = input.read();
        try (Gpt2Model m = model.load()) {
            if (layer != null && (layer < 1 || layer > m.nLayer())) {
                throw usage("--layer must be in 1.." + m.nLayer() + ", was " + layer);
            }
            if (head != null && (head < 1 || head > m.nHead())) {
                throw usage("--head must be in 1.." + m.nHead() + ", was " + head);
            }
            Gpt2Tokenizer tok = m.tokenizer();
            int[] ids = input.tokens(m, text);
            Trace t = Inspector.trace(m, ids, 1);
            List<String> pieces = Pieces.pieces(tok, ids);
            String name = Pieces.modelName(m);
            PrintWriter out = out();
            if (heatmap.given()) {
                float[][][] a = t.attention()[layer - 1];
                List<Heatmap.Panel> panels = new ArrayList<>();
                String title;
                int gridColumns;
                if (head != null) {
                    title = "Attention: " + name + ", layer " + layer + ", head " + head;
                    panels.add(new Heatmap.Panel("", toDouble(a[head - 1]), null));
                    gridColumns = 1;
                } else {
                    title = "Attention: " + name + ", layer " + layer + ", heads 1.." + a.length;
                    for (int h = 0; h < a.length; h++) {
                        panels.add(new Heatmap.Panel("head " + (h + 1), toDouble(a[h]), null));
                    }
                    gridColumns = (int) Math.ceil(Math.sqrt(a.length));
                }
                int n = ids.length;
                int cell = Math.max(4, Math.min(24, (head != null ? 640 : 320) / n));
                BufferedImage img = Heatmap.render(title, panels, gridColumns, pieces, pieces,
                        "key", "query", "attention weight", cell);
                heatmap.write(out, img, title, pieces, pieces);
            }
            if (html != null) {
                OutputFiles.writeUtf8(html, HtmlPage.attention(name, pieces, t.attention()));
                out.printf("wrote %s (%d layers x %d heads, %d tokens)%n", html, t.nLayer(), t.nHead(), ids.length);
            }
            out.flush();
        }
        return 0;
    }

    private static double[][] toDouble(float[][] a) {
        double[][] d = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            d[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                d[i][j] = a[i][j];
            }
        }
        return d;
    }
}
