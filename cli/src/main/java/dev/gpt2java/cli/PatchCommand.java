package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Intervention;
import dev.gpt2java.inspect.Patching;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gpt2 patch}: ablate heads or patch activations from another prompt, and show what the next token does. */
@Command(name = "patch", mixinStandardHelpOptions = true,
        description = {"Intervenes on the forward pass and prints how the next-token distribution after the "
                + "prompt moves: for the k most likely tokens after the intervention, the probability before "
                + "and after and the change of log-probability, then KL(after || before).",
                "Heads are named BLOCK.HEAD (0-based: 0.1 is head 1 of block 0). --ablate zeroes a head, "
                + "--mean-ablate replaces it with its mean output over the positions of --mean-over (default: "
                + "the prompt). --patch-head and --patch-residual (a point of the residual stream: 0 the "
                + "embeddings, L the output of block L) take the activation from the run of --from at "
                + "--position (default: the last position of both prompts)."})
final class PatchCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Mixin
    TextInput input;

    @Option(names = "--ablate", paramLabel = "BLOCK.HEAD", description = "Zero-ablate this head (repeatable).")
    List<String> ablate = new ArrayList<>();

    @Option(names = "--mean-ablate", paramLabel = "BLOCK.HEAD", description = "Mean-ablate this head (repeatable).")
    List<String> meanAblate = new ArrayList<>();

    @Option(names = "--mean-over", paramLabel = "TEXT", description = "The text whose positions the means of --mean-ablate average.")
    String meanOver;

    @Option(names = "--patch-head", paramLabel = "BLOCK.HEAD", description = "Patch this head's output from --from (repeatable).")
    List<String> patchHead = new ArrayList<>();

    @Option(names = "--patch-residual", paramLabel = "POINT", description = "Patch the residual stream at this point from --from (repeatable).")
    List<Integer> patchResidual = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TEXT", description = "The prompt whose run the patches come from.")
    String from;

    @Option(names = "--position", paramLabel = "P", defaultValue = "-1",
            description = "The position patched (in both prompts; default: the last of each).")
    int position;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", defaultValue = "10", description = "Tokens shown (default: ${DEFAULT-VALUE}).")
    int k;

    /** BLOCK.HEAD as two ints; a usage error naming the option otherwise. */
    private int[] head(String option, String spec, Gpt2Model m) {
        String[] parts = spec.split("\\.", -1);
        try {
            if (parts.length == 2) {
                int block = Integer.parseInt(parts[0]), head = Integer.parseInt(parts[1]);
                if (block >= 0 && block < m.nLayer() && head >= 0 && head < m.nHead()) {
                    return new int[] {block, head};
                }
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw usage(option + " takes BLOCK.HEAD with BLOCK in 0.." + (m.nLayer() - 1) + " and HEAD in 0.." + (m.nHead() - 1)
                + ", was '" + spec + "'");
    }

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw usage("-k must be >= 1, was " + k);
        }
        if ((!patchHead.isEmpty() || !patchResidual.isEmpty()) && from == null) {
            throw usage("--patch-head and --patch-residual need --from TEXT (the prompt to patch from)");
        }
        if (ablate.isEmpty() && meanAblate.isEmpty() && patchHead.isEmpty() && patchResidual.isEmpty()) {
            throw usage("nothing to do: give --ablate, --mean-ablate, --patch-head or --patch-residual");
        }
        String text = input.read();
        try (Gpt2Model m = model.load()) {
            Gpt2Tokenizer tokenizer = m.tokenizer();
            int[] ids = input.tokens(m, text);
            int target = position < 0 ? ids.length - 1 : position;
            List<Intervention> list = new ArrayList<>();
            List<String> said = new ArrayList<>();
            for (String spec : ablate) {
                int[] h = head("--ablate", spec, m);
                list.add(Intervention.zeroHead(h[0], h[1]));
                said.add("zero head " + spec);
            }
            if (!meanAblate.isEmpty()) {
                int[] over = meanOver == null ? ids : input.tokens(m, meanOver);
                Patching.Activations a = Patching.record(m, over);
                for (String spec : meanAblate) {
                    int[] h = head("--mean-ablate", spec, m);
                    list.add(Intervention.meanHead(h[0], h[1], a.headMean(h[0], h[1])));
                    said.add("mean head " + spec + " (over " + over.length + " positions)");
                }
            }
            if (from != null) {
                int[] src = input.tokens(m, from);
                int source = position < 0 ? src.length - 1 : position;
                if (source >= src.length || target >= ids.length) {
                    throw usage("--position " + position + " is past the end of the prompt (" + ids.length + " tokens) or of --from ("
                            + src.length + ")");
                }
                Patching.Activations a = Patching.record(m, src);
                for (String spec : patchHead) {
                    int[] h = head("--patch-head", spec, m);
                    list.add(Intervention.patchHead(h[0], h[1], target, a.head(h[0], h[1], source)));
                    said.add("head " + spec + " at position " + target + " from --from's position " + source);
                }
                for (int point : patchResidual) {
                    if (point < 0 || point > m.nLayer()) {
                        throw usage("--patch-residual takes a point in 0.." + m.nLayer() + ", was " + point);
                    }
                    list.add(Intervention.patchResidual(point, target, a.residual(point, source)));
                    said.add("residual stream at point " + point + ", position " + target + " from --from's position " + source);
                }
            }
            Patching.Change c = Patching.nextToken(m, ids, list, Math.min(k, m.nVocab()));
            PrintWriter out = out();
            out.printf("%d prompt tokens; interventions: %s%n", ids.length, String.join("; ", said));
            out.printf("%4s  %6s  %-24s  %11s  %11s  %10s%n", "rank", "id", "token", "p before", "p after", "delta log p");
            int[] top = c.topAfter();
            for (int r = 0; r < top.length; r++) {
                int id = top[r];
                out.printf("%4d  %6d  %-24s  %11.6f  %11.6f  %+10.4f%n", r + 1, id, Pieces.quoted(Pieces.piece(tokenizer, id)),
                        Math.exp(c.logProbBefore(id)), Math.exp(c.logProbAfter(id)), c.logProbAfter(id) - c.logProbBefore(id));
            }
            int before = c.topBefore();
            out.printf("KL(after || before) = %.6f nats; the most likely token before, %s, went from p %.6f to %.6f%n",
                    c.klAfterFromBefore(), Pieces.quoted(Pieces.piece(tokenizer, before)), Math.exp(c.logProbBefore(before)),
                    Math.exp(c.logProbAfter(before)));
            out.flush();
        }
        return 0;
    }
}
