package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.inspect.LabelledText;
import dev.gpt2java.inspect.LabelledTexts;
import dev.gpt2java.inspect.Probe;
import dev.gpt2java.inspect.ProbeParams;
import dev.gpt2java.inspect.ProbeReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gpt2 probe}: linear probes on the residual stream, layer by layer. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Linear probes: reads a labelled file (CSV, TSV or JSON Lines: a text and a label per row), "
                + "runs each text once and keeps the hidden state (the residual stream) at one position (default: the "
                + "last token) after each layer, then fits a probe per layer: ridge regression for numeric labels "
                + "(scored by R²), logistic regression for class labels (scored by accuracy). Scores are held-out: "
                + "k-fold cross-validation with deterministic folds, features standardized on each training part, "
                + "λ chosen by an inner cross-validation. The control column fits the same probes to the labels "
                + "shuffled.",
                "Prints a table (layer, score, its spread across folds, control, λ); --png draws score and control "
                + "per layer."})
final class ProbeCommand extends Gpt2Command {

    enum KindOption { auto, ridge, logistic }

    @Mixin
    ModelOptions model;

    @Parameters(index = "0", paramLabel = "FILE",
            description = "The labelled texts: .csv (a header row; RFC 4180 quotes), .tsv, or .jsonl (one object a line).")
    Path file;

    @Option(names = "--text-field", paramLabel = "NAME", defaultValue = "text",
            description = "The column (JSON field) of the text (default: ${DEFAULT-VALUE}).")
    String textField;

    @Option(names = "--label-field", paramLabel = "NAME", defaultValue = "label",
            description = "The column (JSON field) of the label (default: ${DEFAULT-VALUE}).")
    String labelField;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "auto",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: ridge when every label is a number, "
                    + "else logistic).")
    KindOption kind;

    @Option(names = "--layers", paramLabel = "LIST", split = ",",
            description = "Layers to probe: emb (or 0: the embeddings wte + wpe) and 1..nLayer (the output of that "
                    + "block), comma-separated (default: all).")
    List<String> layerNames;

    @Option(names = "--position", paramLabel = "N", defaultValue = "-1",
            description = "Token position read: 0.. from the start, -1 the last token, -2 the one before (default: "
                    + "${DEFAULT-VALUE}).")
    int position;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "5",
            description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--inner-folds", paramLabel = "K", defaultValue = "3",
            description = "Folds of the inner cross-validation that picks λ (default: ${DEFAULT-VALUE}).")
    int innerFolds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seeds the folds and the shuffled-label control (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lambdas", paramLabel = "LIST", split = ",",
            description = "L2 penalties to choose from, ascending (default: 0.01,0.1,...,100000); one value: that λ, "
                    + "no inner cross-validation.")
    double[] lambdas;

    @Option(names = "--bos", description = "Read each text after <|endoftext|> (the beginning-of-sequence token).")
    boolean bos;

    @Option(names = "--png", paramLabel = "FILE", description = "Write the score and the control per layer to this PNG file.")
    Path png;

    @Override
    public Integer call() throws Exception {
        ProbeParams params = checked(() -> ProbeParams.defaults().withFolds(folds).withInnerFolds(innerFolds).withSeed(seed)
                .withPosition(position).withPrependBos(bos)
                .withLambdas(lambdas == null ? ProbeParams.DEFAULT_LAMBDAS : lambdas)
                .withKind(switch (kind) {
                    case auto -> null;
                    case ridge -> Probe.Kind.RIDGE;
                    case logistic -> Probe.Kind.LOGISTIC;
                }));
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        List<LabelledText> rows = LabelledTexts.read(file, textField, labelField);
        try (Gpt2Model m = model.load()) {
            params = params.withLayers(layers(m.nLayer()));
            long t0 = System.nanoTime();
            ProbeReport r;
            try {
                r = Probe.run(m, rows, params, null);
            } catch (IllegalArgumentException e) {
                // the rows refused (exit code 1), the parameters they name written as the options ("--folds must ...")
                throw new IllegalArgumentException(Gpt2Cli.optionNames(spec, e.getMessage()), e);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            PrintWriter out = out();
            print(out, r, Pieces.modelName(m), file, labelField, m.nEmbd(), seconds);
            if (png != null) {
                write(png, r, Pieces.modelName(m), labelField);
                out.printf("wrote %s%n", png);
            }
            out.flush();
        }
        return 0;
    }

    /** The --layers as hidden-state indices; a usage error for a name that is not one of emb, 0..nLayer. */
    private int[] layers(int nLayer) {
        if (layerNames == null) {
            return java.util.stream.IntStream.rangeClosed(0, nLayer).toArray();
        }
        int[] out = new int[layerNames.size()];
        for (int i = 0; i < out.length; i++) {
            String s = layerNames.get(i).strip();
            int l;
            try {
                l = s.equalsIgnoreCase("emb") ? 0 : Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw usage("--layers: '" + s + "' is not a layer (emb, 0.." + nLayer + ")");
            }
            if (l < 0 || l > nLayer) {
                throw usage("--layers: layer " + l + " is not in 0.." + nLayer + " (0 or emb: the embeddings; the model has "
                        + nLayer + " layers)");
            }
            out[i] = l;
        }
        return out;
    }

    static String layerName(int l) {
        return l == 0 ? "emb" : Integer.toString(l);
    }

    static void print(PrintWriter out, ProbeReport r, String model, Path file, String labelField, int nEmbd, double seconds) {
        ProbeParams p = r.params();
        boolean ridge = r.kind() == Probe.Kind.RIDGE;
        double[] l = p.lambdas();
        out.printf(Locale.ROOT, "%s probe of \"%s\" on %s: %d rows of %s, %d features (n_embd) at %s%n",
                ridge ? "ridge" : "logistic", labelField, model, r.rows(), file.getFileName(), nEmbd, positionText(p));
        out.printf(Locale.ROOT, "%d-fold cross-validation (seed %d), standardized features, λ %s%n", p.folds(), p.seed(),
                l.length == 1 ? "fixed at " + num(l[0]) : "by " + p.innerFolds() + "-fold inner cross-validation over "
                        + joined(l));
        if (!ridge) {
            out.printf(Locale.ROOT, "%d classes; the largest is %.3f of the rows (chance)%n", r.classes().size(), r.baseline());
        }
        String metric = ridge ? "R²" : "accuracy";
        String[][] cells = new String[r.layers().size() + 1][];
        cells[0] = new String[] {"layer", metric, "± (folds)", "control " + metric, "λ"};
        for (int i = 0; i < r.layers().size(); i++) {
            ProbeReport.Layer e = r.layers().get(i);
            cells[i + 1] = new String[] {layerName(e.layer()), String.format(Locale.ROOT, "%.3f", e.score()),
                    String.format(Locale.ROOT, "%.3f", e.std()), String.format(Locale.ROOT, "%.3f", e.control()), num(e.lambda())};
        }
        LensCommand.printTable(out, cells);
        out.printf(Locale.ROOT, "(%.1f s)%n", seconds);
    }

    private static String positionText(ProbeParams p) {
        String where = p.position() == -1 ? "the last token" : p.position() < 0 ? "token " + p.position() + " from the end"
                : "token " + p.position();
        return where + (p.prependBos() ? ", after <|endoftext|>" : "");
    }

    private static String joined(double[] v) {
        List<String> s = new ArrayList<>();
        for (double x : v) {
            s.add(num(x));
        }
        return String.join(", ", s);
    }

    /** 0.01, 1, 1000, 1e+05. */
    static String num(double v) {
        return v >= 1e-3 && v < 1e5 ? String.format(Locale.ROOT, "%s", stripped(v)) : String.format(Locale.ROOT, "%.0e", v);
    }

    private static String stripped(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** The plot, with the scores as a {@code Scores} tEXt chunk (a line per layer: layer, score, control, tab-separated). */
    static void write(Path png, ProbeReport r, String model, String labelField) throws IOException {
        List<String> x = new ArrayList<>();
        double[] score = new double[r.layers().size()], control = new double[score.length];
        StringBuilder tsv = new StringBuilder("layer\t" + r.metric() + "\tcontrol");
        for (int i = 0; i < score.length; i++) {
            ProbeReport.Layer e = r.layers().get(i);
            x.add(layerName(e.layer()));
            score[i] = e.score();
            control[i] = e.control();
            tsv.append(String.format(Locale.ROOT, "\n%s\t%.6f\t%.6f", layerName(e.layer()), e.score(), e.control()));
        }
        boolean ridge = r.kind() == Probe.Kind.RIDGE;
        String title = (ridge ? "Ridge" : "Logistic") + " probe of \"" + labelField + "\" per layer: " + model;
        String subtitle = r.rows() + " rows, " + r.params().folds() + "-fold cross-validation (seed " + r.params().seed()
                + "), hidden state at " + positionText(r.params());
        List<LinePlot.Series> series = new ArrayList<>(List.of(
                new LinePlot.Series("probe", score, LinePlot.PROBE, false),
                new LinePlot.Series("shuffled labels", control, LinePlot.CONTROL, true)));
        if (!ridge) {
            double[] chance = new double[score.length];
            java.util.Arrays.fill(chance, r.baseline());
            series.add(new LinePlot.Series("largest class", chance, LinePlot.CONTROL.brighter(), true));
        }
        var img = LinePlot.render(title, subtitle, x, series, "layer (emb: the embeddings)", "held-out " + r.metric(), 0, 1);
        Map<String, String> text = new LinkedHashMap<>();
        text.put(Png.TITLE, title + "; " + subtitle);
        text.put(Png.LABELS, Png.labels(x, series.stream().map(LinePlot.Series::name).toList()));
        text.put("Scores", tsv.toString());
        Png.write(img, png, text);
    }
}
