package dev.gpt2java.cli;

import dev.gpt2java.Gpt2;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.io.PrintWriter;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gpt2 info}: the model's hyper-parameters and where it runs. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Prints the model's hyper-parameters, weight type, parameter count and size, the backend it "
                + "runs on, the CPU features this machine reports, the CPU variant of libgpt2's backend in use (release "
                + "builds carry one per instruction set), and the libgpt2 that was loaded.")
final class InfoCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() {
        PrintWriter out = out();
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
