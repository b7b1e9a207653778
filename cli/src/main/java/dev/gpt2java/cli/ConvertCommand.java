package dev.gpt2java.cli;

import dev.gpt2java.TensorType;
import dev.gpt2java.convert.HuggingFaceConverter;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gpt2 convert}: a Hugging Face GPT-2 folder to GGUF (dev.gpt2java.convert.HuggingFaceConverter). */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Converts a Hugging Face GPT-2 folder (config.json, model.safetensors, vocab.json, merges.txt; "
                + "as save_pretrained writes it or the Hub serves it: gpt2, gpt2-medium, gpt2-large, gpt2-xl, distilgpt2 "
                + "and their fine-tunes) into a GGUF file with the tensors and metadata llama.cpp's convert_hf_to_gguf.py "
                + "writes. pytorch_model.bin (a pickle) is not read: use the model's model.safetensors."})
final class ConvertCommand extends Gpt2Command {

    enum Progress { auto, always, never }

    @Parameters(index = "0", paramLabel = "HF_DIR", description = "The Hugging Face model folder.")
    Path modelDir;

    @Option(names = {"-o", "--outfile"}, paramLabel = "FILE",
            description = "The GGUF file to write (default: <folder name>-<type>.gguf in the current directory).")
    Path output;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "f16",
            description = "Type of the weight matrices: f32, f16, q8_0 or q4_0 (default ${DEFAULT-VALUE}). Biases, "
                    + "LayerNorms and the position embeddings stay f32. q8_0 and q4_0 are quantized by libgpt2.")
    String type;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            description = "Progress bar on stderr: auto (when stderr is a terminal), always, never (default ${DEFAULT-VALUE}).")
    Progress progress;

    /** {@code type} (any case) if it is one of {@code allowed}, else a usage error of {@code command}. */
    static TensorType parseType(Gpt2Command command, String type, String allowed) {
        String t = type.toUpperCase(Locale.ROOT);
        for (String a : allowed.split(", ")) {
            if (a.toUpperCase(Locale.ROOT).equals(t)) {
                return TensorType.valueOf(t);
            }
        }
        throw command.usage("--type must be one of " + allowed + ", was '" + type + "'");
    }

    @Override
    public Integer call() throws IOException {
        TensorType t = parseType(this, type, "f32, f16, q8_0, q4_0");
        Path out = output != null ? output
                : Path.of(folderName(modelDir) + "-" + t.name().toLowerCase(Locale.ROOT) + ".gguf");
        PrintWriter err = err();
        boolean show = switch (progress) {
            case always -> true;
            case never -> false;
            case auto -> System.console() != null && System.console().isTerminal();
        };
        ProgressBar bar = new ProgressBar(err, "converting");
        HuggingFaceConverter.ProgressListener listener = !show ? HuggingFaceConverter.ProgressListener.NONE
                : new HuggingFaceConverter.ProgressListener() {
                    @Override
                    public void written(String tensor, long done, long total) {
                        bar.update(done, total, tensor);
                    }

                    @Override
                    public void quantizing(TensorType type) {
                        bar.message("quantizing to " + type + " (libgpt2) ...");
                    }
                };
        HuggingFaceConverter.Params params = checked(
                () -> new HuggingFaceConverter.Params(modelDir, out, t, threads.threads, listener));
        HuggingFaceConverter.Result r;
        try {
            r = HuggingFaceConverter.convert(params);
        } finally {
            bar.finish();
        }
        PrintWriter o = out();
        o.printf(Locale.ROOT, "wrote %s: %s, %d tensors, %,d parameters, %,d bytes (general.name \"%s\")%n",
                r.output(), r.type(), r.tensors(), r.parameters(), r.bytes(), r.name());
        o.flush();
        return 0;
    }

    private static String folderName(Path dir) {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? "model" : n.toString();
    }
}
