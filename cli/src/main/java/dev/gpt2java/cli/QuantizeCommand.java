package dev.gpt2java.cli;

import dev.gpt2java.Gpt2;
import dev.gpt2java.TensorType;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gpt2 quantize}: a GPT-2 GGUF rewritten with its weight matrices in another type (gpt2_quantize). */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Rewrites a GPT-2 GGUF with its weight matrices (token embeddings, output, attention and MLP "
                + "weights) in another type, through libgpt2's gpt2_quantize (ggml's quantizers). Biases, LayerNorms and "
                + "the position embeddings stay F32; the metadata is kept, general.file_type is updated. The same "
                + "tensors are quantized as by llama.cpp's llama-quantize --pure."})
final class QuantizeCommand extends Gpt2Command {

    static final String TYPES = "f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1";

    @Parameters(index = "0", paramLabel = "IN", description = "The GGUF to read.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "The GGUF to write (not the same file).")
    Path output;

    @Option(names = "--type", paramLabel = "TYPE", required = true,
            description = "The weight type: " + TYPES + " (the pure-Java engine computes f32, f16, q8_0 and q4_0).")
    String type;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws IOException {
        TensorType t = ConvertCommand.parseType(this, type, TYPES);
        Gpt2.quantize(input, output, t, threads.checked(spec));
        PrintWriter o = out();
        o.printf(Locale.ROOT, "wrote %s: %s, %,d bytes (from %,d)%n", output, t, Files.size(output), Files.size(input));
        o.flush();
        return 0;
    }
}
