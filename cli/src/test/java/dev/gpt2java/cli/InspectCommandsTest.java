package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.inspect.Inspector;
import dev.gpt2java.inspect.Trace;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpt2 lens}, {@code gpt2 attention} and {@code gpt2 neighbours} on the tiny fixture. */
class InspectCommandsTest {

    static final String TEXT = "The quick brown fox jumps";
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path dir;

    private static List<String> quoted(String line) {
        List<String> out = new ArrayList<>();
        Matcher mt = QUOTED.matcher(line);
        while (mt.find()) {
            out.add(mt.group(1).replace("\\\"", "\""));
        }
        return out;
    }

    private static Trace trace(String text) {
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel())) {
            return Inspector.trace(m, m.tokenizer().encode(text), 3);
        }
    }

    @Test
    void lensTableHasARowPerLayerAndMatchesTheTrace() {
        Trace t = trace(TEXT);
        Cli.Result r = Cli.run("lens", "-m", Cli.model(), "--probs", TEXT);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.outLines();
        assertEquals(t.pieces(), quoted(lines.get(1)), r.out());
        List<String> rows = lines.subList(2, lines.size());
        assertEquals(t.nLayer() + 1, rows.size(), r.out());
        assertTrue(rows.get(0).startsWith("emb "), r.out());
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel())) {
            for (int l = 0; l <= t.nLayer(); l++) {
                List<String> cells = quoted(rows.get(l));
                assertEquals(t.length(), cells.size(), rows.get(l));
                assertTrue(rows.get(l).startsWith(l == 0 ? "emb" : Integer.toString(l)), rows.get(l));
                for (int p = 0; p < t.length(); p++) {
                    assertEquals(Pieces.piece(m.tokenizer(), t.lens(l, p).top()), cells.get(p), "layer " + l + " pos " + p);
                }
            }
            // the last layer's last cell is the next-token prediction
            List<String> last = quoted(rows.get(t.nLayer()));
            assertEquals(Pieces.piece(m.tokenizer(), t.nextToken().id(0)), last.get(last.size() - 1));
        }
        assertTrue(rows.get(t.nLayer()).endsWith(String.format("%.3f", t.nextToken().prob(0))), rows.get(t.nLayer()));
    }

    @Test
    void lensTopKListsTheLastPosition() {
        Cli.Result r = Cli.run("lens", "-m", Cli.model(), "-k", "3", TEXT);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("top 3 per layer"), r.out());
        String lastLine = r.outLines().get(r.outLines().size() - 1);
        assertEquals(3, quoted(lastLine).size(), lastLine);
    }

    /** Everything a heatmap PNG must show, read from its pixels: title, cells, labels, axis names, colour scale. */
    private static void assertHeatmap(BufferedImage img, List<double[][]> panelValues, int gridColumns, String what) {
        List<HeatmapPicture.Box> panels = HeatmapPicture.panels(img);
        assertEquals(panelValues.size(), panels.size(), what + ": panels found " + panels);
        HeatmapPicture.assertTitle(img, 300, what);
        int rightmost = 0;
        for (int i = 0; i < panels.size(); i++) {
            HeatmapPicture.Box p = panels.get(i);
            double[][] v = panelValues.get(i);
            String at = what + " panel " + (i + 1);
            HeatmapPicture.assertCells(img, p, v, at);
            HeatmapPicture.assertRowAndColumnLabels(img, p, v.length, v[0].length, at);
            // the first column of panels starts at the image's margin: the y axis's name is in its first line of text
            HeatmapPicture.assertAxisNames(img, p, i % gridColumns == 0 ? 28 : p.x0(), at);
            rightmost = Math.max(rightmost, p.x1());
        }
        HeatmapPicture.Box scale = HeatmapPicture.colourScale(img);
        assertTrue(scale.x0() > rightmost, what + ": the colour scale is right of the panels");
        HeatmapPicture.assertScaleLabels(img, scale, what);
        assertTrue(img.getWidth() > scale.x1() + 30, what + ": width " + img.getWidth());
    }

    @Test
    void lensPngShowsEveryCellLabelAxisAndTheColourScale() throws Exception {
        Path png = dir.resolve("lens.png");
        Cli.Result r = Cli.run("lens", "-m", Cli.model(), "--png", png.toString(), TEXT);
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(r.out().contains("wrote " + png + " (" + img.getWidth() + "x" + img.getHeight() + ")"), r.out());
        Trace t = trace(TEXT);
        int n = t.length(), rows = t.nLayer() + 1;
        double[][] top1 = new double[rows][n];
        for (int l = 0; l < rows; l++) {
            for (int i = 0; i < n; i++) {
                top1[l][i] = t.lens(l, i).topProb();
            }
        }
        assertHeatmap(img, List.<double[][]>of(top1), 1, "lens");
        // every cell carries its top token's text: pixels inside it of another colour than the cell's
        HeatmapPicture.Box p = HeatmapPicture.panels(img).get(0);
        int cw = p.width() / n, ch = p.height() / rows;
        for (int l = 0; l < rows; l++) {
            for (int i = 0; i < n; i++) {
                int fill = Heatmap.colour(top1[l][i]).getRGB() & 0xffffff, text = 0;
                for (int y = p.y0() + l * ch + 1; y < p.y0() + (l + 1) * ch; y++) {
                    for (int x = p.x0() + i * cw + 1; x < p.x0() + (i + 1) * cw; x++) {
                        if (!HeatmapPicture.close(HeatmapPicture.rgb(img, x, y), fill)) {
                            text++;
                        }
                    }
                }
                assertTrue(text > 0, "lens cell (" + l + ", " + i + ") has no token drawn in it");
            }
        }
        Map<String, String> text = Png.readText(png);
        assertTrue(text.get(Png.TITLE).contains("Logit lens") && text.get(Png.TITLE).contains("model-f32.gguf"), text.toString());
        assertEquals(Png.labels(t.pieces(), LensCommand.layerNames(t.nLayer())), text.get(Png.LABELS));
        assertTrue(text.get(Png.LABELS).contains("\t b\t"), text.toString());
    }

    @Test
    void attentionPngOfOneHeadAndOfAllHeads() throws Exception {
        Path one = dir.resolve("one.png");
        Path all = dir.resolve("all.png");
        Cli.Result r1 = Cli.run("attention", "-m", Cli.model(), "--layer", "2", "--head", "3", "--png", one.toString(), TEXT);
        assertEquals(0, r1.code(), r1.err());
        Cli.Result r2 = Cli.run("attention", "-m", Cli.model(), "--layer", "1", "--png", all.toString(), TEXT);
        assertEquals(0, r2.code(), r2.err());
        BufferedImage a = ImageIO.read(one.toFile());
        BufferedImage b = ImageIO.read(all.toFile());
        Trace t = trace(TEXT);
        assertHeatmap(a, List.<double[][]>of(toDouble(t.attention()[1][2])), 1, "layer 2 head 3");
        List<double[][]> heads = new ArrayList<>();
        for (float[][] h : t.attention()[0]) {
            heads.add(toDouble(h));
        }
        assertHeatmap(b, heads, 2, "layer 1, all heads");
        assertTrue(b.getWidth() > a.getWidth(), "the grid of 3 heads is wider than one head");
        Map<String, String> ta = Png.readText(one);
        assertTrue(ta.get(Png.TITLE).contains("model-f32.gguf") && ta.get(Png.TITLE).contains("layer 2, head 3"), ta.toString());
        Map<String, String> tb = Png.readText(all);
        assertTrue(tb.get(Png.TITLE).contains("layer 1, heads 1..3"), tb.toString());
        List<String> pieces = t.pieces();
        assertEquals(Png.labels(pieces, pieces), ta.get(Png.LABELS));
        assertEquals(Png.labels(pieces, pieces), tb.get(Png.LABELS));
    }

    private static double[][] toDouble(float[][] a) {
        double[][] d = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                d[i][j] = a[i][j];
            }
        }
        return d;
    }

    @Test
    void attentionHtmlIsSelfContained() throws Exception {
        Path html = dir.resolve("sub/attention.html");
        Cli.Result r = Cli.run("attention", "-m", Cli.model(), "--html", html.toString(), TEXT);
        assertEquals(0, r.code(), r.err());
        String page = Files.readString(html, StandardCharsets.UTF_8);
        for (String p : trace(TEXT).pieces()) {
            assertTrue(page.contains(HtmlPage.json(p)), p);
        }
        assertFalse(page.toLowerCase().contains("http"), "no external references");
        assertFalse(page.contains("src="), "no external resources");
        assertEquals(1, page.split("<script", -1).length - 1, "one script");
        assertTrue(page.contains("<select id=\"layer\">") && page.contains("<select id=\"head\">"), "selectors");
        assertTrue(page.contains("<canvas"), "canvas");
        assertTrue(page.contains("const DATA = {\"model\":\"") && page.contains("model-f32.gguf"), "data");
    }

    @Test
    void badLayerOrHeadIsAOneLineUsageError() {
        for (String[] args : new String[][] {
                {"--layer", "3", "--png", "x.png"}, {"--layer", "0", "--png", "x.png"},
                {"--layer", "1", "--head", "4", "--png", "x.png"}, {"--head", "1", "--html", "x.html"},
                {"--png", "x.png"}, {}}) {
            List<String> a = new ArrayList<>(List.of("attention", "-m", Cli.model()));
            a.addAll(List.of(args));
            a.add(TEXT);
            Cli.Result r = Cli.run(a.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().startsWith("gpt2 attention: "), r.err());
        }
        Cli.Result r = Cli.run("attention", "-m", Cli.model(), "--layer", "3", "--png", "x.png", TEXT);
        assertTrue(r.err().contains("--layer must be in 1..2, was 3"), r.err());
        assertFalse(Files.exists(Path.of("x.png")));
    }

    @Test
    void neighboursOfATokenListItFirstWithSimilarityOne() {
        Cli.Result r = Cli.run("neighbours", "-m", Cli.model(), "-k", "5", "The");
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.outLines().subList(2, r.outLines().size());
        assertEquals(5, rows.size(), r.out());
        String[] f = rows.get(0).trim().split("\\s+");
        assertEquals("1", f[0]);
        assertEquals(List.of("The"), quoted(rows.get(0)));
        assertEquals("1.0000", f[f.length - 1], r.out());
        double previous = 2;
        for (String row : rows) {
            String[] g = row.trim().split("\\s+");
            double s = Double.parseDouble(g[g.length - 1]);
            assertTrue(s <= previous, r.out());
            previous = s;
        }
        Cli.Result byId = Cli.run("neighbors", "-m", Cli.model(), "-k", "3", "--id", f[1]);
        assertEquals(0, byId.code(), byId.err());
        assertEquals(rows.get(0), byId.outLines().get(2));
    }

    @Test
    void analogyLeavesOutItsWords() {
        Cli.Result r = Cli.run("neighbours", "-m", Cli.model(), "-k", "4", "--analogy", "The", " b", " qu");
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.outLines().subList(2, r.outLines().size());
        assertEquals(4, rows.size(), r.out());
        for (String row : rows) {
            List<String> q = quoted(row);
            assertFalse(q.contains("The") || q.contains(" b") || q.contains(" qu"), r.out());
        }
        Cli.Result none = Cli.run("neighbours", "-m", Cli.model());
        assertEquals(2, none.code());
        assertEquals(1, none.errLines().size(), none.err());
    }
}
