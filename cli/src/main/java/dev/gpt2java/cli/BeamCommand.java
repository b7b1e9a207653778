package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.search.BeamCandidate;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.BeamStep;
import dev.gpt2java.search.BeamTree;
import dev.gpt2java.search.EarlyStopping;
import dev.gpt2java.search.Hypothesis;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gpt2 beam}: beam search, and the tree it explored. */
@Command(name = "beam", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Beam search (Hugging Face semantics) after the prompt: prints the returned sequences with "
                + "their scores (log-probability / length^penalty). With --tree, every step's candidates too: "
                + "the best K = max(2, 1 + #eos) x B of all beams' continuations, under their parent beam, each kept "
                + "(a running beam of the next step), finished (a hypothesis: EOS or the last step) or pruned.",
                "--svg writes the same tree as an SVG picture."})
final class BeamCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Mixin
    TextInput input;

    @Option(names = "--num-beams", paramLabel = "B", defaultValue = "4",
            description = "Beams, 2.." + BeamSearchParams.MAX_BEAMS + " (default: ${DEFAULT-VALUE}).")
    int numBeams;

    @Option(names = {"-n", "--max-new-tokens"}, paramLabel = "N", defaultValue = "10",
            description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--length-penalty", paramLabel = "X", defaultValue = "1.0",
            description = "Finished beams score log-probability / length^X (default: ${DEFAULT-VALUE}).")
    double lengthPenalty;

    @Option(names = "--early-stopping", paramLabel = "MODE", defaultValue = "false",
            converter = EarlyStoppingConverter.class,
            description = "true, false (default) or never: Hugging Face's early_stopping.")
    EarlyStopping earlyStopping;

    @Option(names = "--num-return-sequences", paramLabel = "N",
            description = "Sequences printed, 1..B (default: B).")
    Integer numReturnSequences;

    @Option(names = "--ignore-eos", description = "No EOS token: beams end only at --max-new-tokens.")
    boolean ignoreEos;

    @Option(names = "--tree", description = "Print every step's candidates: kept, finished or pruned, with scores.")
    boolean tree;

    @Option(names = "--svg", paramLabel = "FILE", description = "Write the tree as an SVG file.")
    Path svg;

    @Override
    public Integer call() throws Exception {
        if (numBeams < 2) {
            // BeamSearchParams takes 1 (greedy search); a tree needs beams
            throw usage("--num-beams must be in 2.." + BeamSearchParams.MAX_BEAMS + ", was " + numBeams);
        }
        BeamSearchParams asked = checked(() -> new BeamSearchParams(numBeams, lengthPenalty, earlyStopping,
                numReturnSequences == null ? numBeams : numReturnSequences, 0, maxNewTokens, 0, new int[0]));
        String text = input.read();
        PrintWriter out = out();
        try (Gpt2Model m = model.load()) {
            Gpt2Tokenizer tokenizer = m.tokenizer();
            int[] ids = input.tokens(m, text);
            BeamSearchParams p = asked.withMaxNewTokens(Prompts.newTokens(m, ids, maxNewTokens))
                    .withEosTokenIds(Prompts.eosIds(m, ignoreEos));
            BeamTree.Result r = BeamTree.search(m, ids, p);
            print(out, tokenizer, r.hypotheses(), p.eosTokenIds(), true);
            if (tree) {
                out.println();
                out.print(textTree(r.tree(), tokenizer));
            }
            if (svg != null) {
                String title = "Beam search: " + Pieces.modelName(m) + ", " + describe(p);
                OutputFiles.writeUtf8(svg, svg(r.tree(), tokenizer, title));
                out.printf("wrote %s (%d steps, %d candidates)%n", svg, r.tree().steps().size(),
                        r.tree().candidateCount());
            }
            out.flush();
        }
        return 0;
    }

    /**
     * The hypotheses, best first: each one's text (its EOS token left out), after a line
     * {@code [i] score S} if {@code scores}.
     */
    static void print(PrintWriter out, Gpt2Tokenizer tokenizer, List<Hypothesis> found, int[] eos, boolean scores) {
        for (int i = 0; i < found.size(); i++) {
            Hypothesis h = found.get(i);
            int[] toks = h.tokens();
            int last = toks.length == 0 ? -1 : toks[toks.length - 1];
            boolean endsWithEos = Arrays.stream(eos).anyMatch(e -> e == last);
            if (scores) {
                out.printf(Locale.ROOT, "[%d] score %.4f%n", i + 1, h.score());
            }
            out.println(tokenizer.decode(endsWithEos ? Arrays.copyOf(toks, toks.length - 1) : toks));
        }
        out.flush();
    }

    static String describe(BeamSearchParams p) {
        return String.format(Locale.ROOT, "%d beams, max %d new tokens, length penalty %s, early stopping %s",
                p.numBeams(), p.maxNewTokens(), p.lengthPenalty(), p.earlyStopping().name().toLowerCase(Locale.ROOT));
    }

    private static String pieces(Gpt2Tokenizer tokenizer, int[] ids) {
        return String.join("", Pieces.pieces(tokenizer, ids));
    }

    private static String fate(BeamCandidate c) {
        return switch (c.fate()) {
            case KEPT -> "kept -> beam " + c.nextBeam();
            case FINISHED -> String.format(Locale.ROOT, "finished (score %.4f)", c.normalizedScore());
            case PRUNED -> "pruned";
        };
    }

    /** Each step: its beams, and under each beam its candidates (rank, token piece, score, fate). */
    static String textTree(BeamTree tree, Gpt2Tokenizer tokenizer) {
        StringBuilder b = new StringBuilder();
        int k = tree.steps().isEmpty() ? 0 : tree.steps().getFirst().candidates().size();
        b.append("Beam tree: ").append(describe(tree.params())).append(", ").append(k)
                .append(" candidates per step").append(System.lineSeparator());
        for (BeamStep step : tree.steps()) {
            b.append(String.format(Locale.ROOT, "step %d%n", step.index() + 1));
            for (int beam = 0; beam < step.beams().size(); beam++) {
                BeamStep.Beam parent = step.beams().get(beam);
                b.append(String.format(Locale.ROOT, "  beam %d %s  %.4f%n", beam,
                        Pieces.quoted(Pieces.cut(pieces(tokenizer, parent.tokens()), 60)), parent.score()));
                for (BeamCandidate c : step.candidates()) {
                    if (c.beam() == beam) {
                        b.append(String.format(Locale.ROOT, "    #%-3d %-20s %10.4f  %s%n", c.rank() + 1,
                                Pieces.quoted(Pieces.piece(tokenizer, c.token())), c.score(), fate(c)));
                    }
                }
            }
        }
        return b.toString();
    }

    private static final int COL = 230;
    private static final int ROW = 18;
    private static final int TOP = 50;
    private static final int LEFT = 10;

    /**
     * The tree as SVG: one {@code <text class="node ...">} per node (the prompt, then every candidate of
     * every step, a column per step), a line from each candidate to its parent; kept nodes bold, finished
     * green, pruned grey with dashed edges. The title is a {@code <title>} and a {@code <text class="title">}.
     */
    static String svg(BeamTree tree, Gpt2Tokenizer tokenizer, String title) {
        record Node(double x, double y) {
        }
        List<String> edges = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        Node root = new Node(LEFT, TOP);
        texts.add(String.format(Locale.ROOT, "<text class=\"node prompt\" x=\"%d\" y=\"%d\">%s</text>", LEFT, TOP,
                Display.markup(Pieces.cut(pieces(tokenizer, tree.prompt()), 28))));
        // the node of each running beam of the current step
        List<Node> beamNodes = List.of(root);
        int maxRows = 1;
        for (BeamStep step : tree.steps()) {
            double x = LEFT + (step.index() + 1) * COL;
            List<BeamCandidate> order = new ArrayList<>(step.candidates());
            order.sort(Comparator.comparingInt(BeamCandidate::beam).thenComparingInt(BeamCandidate::rank));
            maxRows = Math.max(maxRows, order.size());
            Node[] next = new Node[tree.params().numBeams()];
            for (int row = 0; row < order.size(); row++) {
                BeamCandidate c = order.get(row);
                double y = TOP + row * ROW;
                Node parent = beamNodes.get(c.beam());
                String cls = c.fate().name().toLowerCase(Locale.ROOT);
                edges.add(String.format(Locale.ROOT,
                        "<line class=\"%s\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>", cls,
                        parent.x() + COL - 40, parent.y() - 4, x - 4, y - 4));
                String score = c.fate() == BeamCandidate.Fate.FINISHED
                        ? String.format(Locale.ROOT, "%.3f (%.3f)", c.score(), c.normalizedScore())
                        : String.format(Locale.ROOT, "%.3f", c.score());
                texts.add(String.format(Locale.ROOT, "<text class=\"node %s\" x=\"%.0f\" y=\"%.0f\">%s %s</text>", cls, x,
                        y, Display.markup(Pieces.cut(Pieces.quoted(Pieces.piece(tokenizer, c.token())), 16)), score));
                if (c.fate() == BeamCandidate.Fate.KEPT) {
                    next[c.nextBeam()] = new Node(x, y);
                }
            }
            beamNodes = Arrays.asList(next);
        }
        int width = LEFT * 2 + (tree.steps().size() + 1) * COL;
        int height = TOP + maxRows * ROW + 10;
        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n", width,
                height, width, height));
        b.append("<title>").append(Display.markup(title)).append("</title>\n");
        b.append("<style>\n"
                + "text { font-family: monospace; font-size: 12px; fill: #222; white-space: pre; }\n"
                + "text.title { font-size: 14px; font-weight: bold; }\n"
                + "text.kept { font-weight: bold; }\n"
                + "text.finished { fill: #1a7f37; font-weight: bold; }\n"
                + "text.pruned { fill: #999; }\n"
                + "line { stroke: #444; stroke-width: 1.2; }\n"
                + "line.finished { stroke: #1a7f37; }\n"
                + "line.pruned { stroke: #ccc; stroke-dasharray: 3 3; stroke-width: 1; }\n"
                + "</style>\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"20\">%s</text>%n", LEFT, Display.markup(title)));
        for (String e : edges) {
            b.append(e).append('\n');
        }
        for (String t : texts) {
            b.append(t).append('\n');
        }
        b.append("</svg>\n");
        return b.toString();
    }
}
