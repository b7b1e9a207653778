package dev.gpt2java.cli;

import dev.gpt2java.Gpt2;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.inspect.ParameterCount;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.io.PrintWriter;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gpt2 info}: the model's hyper-parameters and where it runs. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Prints the model's hyper-parameters, weight type, parameter count and size, the backend it "
                + "runs on, the CPU features this machine reports, the CPU variant of libgpt2's backend in use (release "
                + "builds carry one per instruction set), and the libgpt2 that was loaded.",
                "--params prints the parameters instead: every tensor with its shape (PyTorch's: rows x columns), a "
                + "subtotal per group (embeddings, each block, output) as weights + biases + LayerNorms, and the total, "
                + "checked against the file's tensors."})
final class InfoCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Option(names = "--params", description = "Count the parameters tensor by tensor and layer by layer.")
    boolean params;

    @Override
    public Integer call() {
        PrintWriter out = out();
        if (params) {
            try (Gpt2Model m = model.load()) {
                printParams(out, Pieces.modelName(m), ParameterCount.of(m));
            }
            out.flush();
            return 0;
        }
        try (Gpt2Model m = model.load()) {
            Gpt2Tokenizer tok = m.tokenizer();
            row(out, "file", m.path().toAbsolutePath().toString());
            row(out, "name", m.name().isEmpty() ? "(none)" : m.name());
            row(out, "n_layer", m.nLayer());
            row(out, "n_head", m.nHead());
            row(out, "n_embd", m.nEmbd());
            row(out, "n_ff", m.nFf());
            row(out, "n_ctx_train", m.nCtxTrain());
            row(out, "n_vocab", m.nVocab());
            row(out, "n_merges", tok.mergeCount());
            row(out, "norm_eps", m.normEps());
            row(out, "output", m.outputTied() ? "tied to the token embeddings" : "own matrix (untied)");
            row(out, "bos / eos", m.bosToken() + " / " + m.eosToken());
            row(out, "weight type", m.weightType());
            row(out, "n_params", String.format(Locale.ROOT, "%,d (%s)", m.nParams(), human(m.nParams(), 1000, "")));
            row(out, "size", String.format(Locale.ROOT, "%,d bytes (%s)", m.sizeBytes(), human(m.sizeBytes(), 1024, "iB")));
            row(out, "backend", m.backendName() + " (asked: " + model.backend.name().toLowerCase(Locale.ROOT) + ")");
            row(out, "threads", model.threads() == 0 ? "one per physical core" : Integer.toString(model.threads()));
        }
        row(out, "cpu", CpuInfo.model());
        row(out, "cpu features", CpuInfo.features());
        String variant = Gpt2.cpuVariant();
        row(out, "cpu variant", variant.isEmpty() ? "none: one CPU backend compiled into libgpt2" : variant);
        for (String line : Gpt2.systemInfo().split("\n")) {
            row(out, "backends", line);
        }
        row(out, "processors", Runtime.getRuntime().availableProcessors() + " (seen by the JVM)");
        int api = Gpt2.apiVersion();
        row(out, "libgpt2", Gpt2.libraryLocation());
        row(out, "libgpt2 API", api / 10000 + "." + api / 100 % 100 + "." + api % 100);
        row(out, "java", Runtime.version() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.flush();
        return 0;
    }

    /** The tensors, a line of arithmetic after each group, and the total. */
    static void printParams(PrintWriter out, String name, ParameterCount c) {
        var s = c.shape();
        out.printf("parameters of %s: %d layers, n_embd %d, n_ff %d, n_vocab %d, n_ctx %d, output %s%n", name, s.nLayer(),
                s.nEmbd(), s.nFf(), s.nVocab(), s.nCtx(), c.outputTied() ? "tied to the token embeddings" : "its own matrix");
        int wName = "tensor".length(), wHf = "Hugging Face".length(), wShape = "shape".length(), wCount = "parameters".length();
        for (ParameterCount.Tensor t : c.tensors()) {
            wName = Math.max(wName, t.name().length());
            wHf = Math.max(wHf, t.hfName().length());
            wShape = Math.max(wShape, t.shapeText().length());
            wCount = Math.max(wCount, ParameterCount.grouped(t.count()).length());
        }
        String format = "%-" + wName + "s  %-" + wHf + "s  %-" + wShape + "s  %" + wCount + "s%n";
        out.printf(format, "tensor", "Hugging Face", "shape", "parameters");
        for (ParameterCount.Group g : c.groups()) {
            out.println();
            for (ParameterCount.Tensor t : g.tensors()) {
                out.printf(format, t.name(), t.hfName(), t.shapeText(), ParameterCount.grouped(t.count()));
            }
            out.println(g.name() + ": " + g.arithmetic());
        }
        if (c.outputTied()) {
            out.println("(the output matrix is token_embd.weight: counted once, with the embeddings)");
        }
        out.println();
        out.printf("total: %s parameters (embeddings + %d blocks + output)%n", c.arithmetic(), s.nLayer());
        out.printf("  weights %s, biases %s, LayerNorms %s%n", ParameterCount.grouped(c.count(ParameterCount.Kind.WEIGHTS)),
                ParameterCount.grouped(c.count(ParameterCount.Kind.BIAS)),
                ParameterCount.grouped(c.count(ParameterCount.Kind.NORM)));
    }

    private static void row(PrintWriter out, String key, Object value) {
        out.printf("%-14s %s%n", key + ":", value);
    }

    /** 124.4M, 474.7 MiB. */
    static String human(long n, int base, String suffix) {
        String[] units = {"", "K", "M", "G", "T"};
        double v = n;
        int u = 0;
        while (v >= base && u < units.length - 1) {
            v /= base;
            u++;
        }
        return u == 0 ? n + (suffix.isEmpty() ? "" : " B") : String.format(Locale.ROOT, "%.1f %s%s", v, units[u], suffix);
    }
}
