package dev.gpt2java.cli;

import dev.gpt2java.ModelShape;
import dev.gpt2java.Engine;
import dev.gpt2java.gguf.GgufFile;
import dev.gpt2java.tokenizer.Vocabulary;
import dev.gpt2java.train.TrainParams;
import dev.gpt2java.train.Trainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gpt2 train}: trains a GPT-2 on text files with the pure-Java trainer and writes a GGUF model. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a GPT-2 (GPT-2's own 50,257-token vocabulary) on UTF-8 text files: AdamW, linear "
                + "warm-up then cosine decay, gradient clipping, a held-out validation split, checkpoints to "
                + "resume from. Same parameters, same corpus: the same model, bit for bit, on any thread count.",
                "The vocabulary comes from --vocab/--merges (Hugging Face vocab.json + merges.txt or OpenAI's "
                        + "encoder.json + vocab.bpe), from --vocab-from MODEL.gguf, or else from the folder that "
                        + "ci/fetch-tokenizer-data.sh fills ($GPT2_TOKENIZER_DATA/gpt2)."})
final class TrainCommand extends Gpt2Command {

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Corpus files, joined by <|endoftext|>.")
    List<Path> corpus;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The model to write (GGUF).")
    Path output;

    @Option(names = "--type", defaultValue = "f16", paramLabel = "TYPE",
            description = "f32 or f16 (default: ${DEFAULT-VALUE}; 1-D tensors stay F32).")
    String type;

    @Option(names = "--name", defaultValue = "gpt2-java", paramLabel = "NAME", description = "general.name of the model.")
    String name;

    @Option(names = "--vocab", paramLabel = "FILE", description = "vocab.json / encoder.json.")
    Path vocabJson;

    @Option(names = "--merges", paramLabel = "FILE", description = "merges.txt / vocab.bpe.")
    Path merges;

    @Option(names = "--vocab-from", paramLabel = "MODEL", description = "Take the vocabulary from a GGUF model.")
    Path vocabFrom;

    @Option(names = "--layers", defaultValue = "6", description = "n_layer (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--embd", defaultValue = "128", description = "n_embd (default: ${DEFAULT-VALUE}).")
    int embd;

    @Option(names = "--heads", defaultValue = "4", description = "n_head (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--ctx", defaultValue = "256", description = "n_ctx, positions (default: ${DEFAULT-VALUE}).")
    int ctx;

    @Option(names = "--batch", defaultValue = "8", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq-len", description = "Tokens per sequence (default: n_ctx).")
    Integer seqLen;

    @Option(names = "--steps", required = true, description = "Optimizer steps.")
    int steps;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--min-lr", defaultValue = "1e-4", description = "Final learning rate (default: ${DEFAULT-VALUE}).")
    float minLr;

    @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--beta2", defaultValue = "0.95", description = "AdamW beta2 (default: ${DEFAULT-VALUE}).")
    float beta2;

    @Option(names = "--val-every", defaultValue = "20",
            description = "Hold out one block in N for validation (default: ${DEFAULT-VALUE}).")
    int valEvery;

    @Option(names = "--eval-batches", defaultValue = "16", description = "Validation batches (default: ${DEFAULT-VALUE}).")
    int evalBatches;

    @Option(names = "--seed", defaultValue = "1234", description = "Initialisation and data order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "java",
            description = "Where the forward and backward passes run: ${COMPLETION-CANDIDATES} (default: "
                    + "${DEFAULT-VALUE}: pure Java on the Vector API, the same bits on any thread count; native: "
                    + "libgpt2, ggml's automatic differentiation on the CPU). AdamW runs in Java either way.")
    Engine engine;

    @Option(names = "--dry-run", description = "Print the split, the unigram baseline and a held-out opening; "
            + "train nothing.")
    boolean dryRun;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws IOException {
        for (Path f : corpus) {
            if (!Files.isRegularFile(f)) {
                throw usage("no such corpus file: " + f);
            }
        }
        Vocabulary vocab = vocabulary();
        TrainParams p = checked(() -> new TrainParams(corpus, output, type, name,
                new ModelShape(vocab.tokens().size(), ctx, embd, heads, layers), batch, seqLen == null ? ctx : seqLen,
                steps, lr, minLr, run.warmup(steps), weightDecay, run.beta1, beta2, 1e-8f,
                run.clip, valEvery, run.evalEvery(steps), evalBatches, run.checkpoint,
                run.checkpointEvery(steps), seed,
                run.threads(), engine));
        if (dryRun) {
            Trainer.Plan plan = Trainer.plan(p, vocab);
            PrintWriter out = out();
            out.printf(Locale.ROOT, "corpus sha256 %s: %,d training tokens, %,d validation tokens%n", plan.corpusSha256(),
                    plan.trainTokens(), plan.valTokens());
            out.printf(Locale.ROOT, "unigram baseline (validation cross-entropy): %.4f%n", plan.unigramValLoss());
            out.printf(Locale.ROOT, "held-out opening: %s%n", Pieces.quotedText(plan.heldOutOpening()));
            out.printf(Locale.ROOT, "what follows it in the corpus: %s%n", Pieces.quotedText(plan.heldOutContinuation()));
            return 0;
        }
        Trainer.Result r = run.run(err(), steps, (resume, reporter) -> Trainer.train(p, vocab, resume, reporter));
        PrintWriter out = out();
        out.printf(Locale.ROOT, "wrote %s%n", output);
        out.printf(Locale.ROOT, "corpus sha256 %s: %,d training tokens, %,d validation tokens%n", r.corpusSha256(),
                r.trainTokens(), r.valTokens());
        out.printf(Locale.ROOT, "%d steps in %.1f s; train loss %.4f (mean of the last 5%% of steps), "
                + "validation loss %.4f, unigram baseline %.4f%n", r.steps(), r.elapsedSeconds(), r.trainLoss(),
                r.valLoss(), r.unigramValLoss());
        return 0;
    }

    private Vocabulary vocabulary() throws IOException {
        if (vocabFrom != null) {
            if (vocabJson != null || merges != null) {
                throw usage("give --vocab-from or --vocab/--merges, not both");
            }
            try (GgufFile g = GgufFile.open(vocabFrom)) {
                Object tokens = g.metadata().get("tokenizer.ggml.tokens");
                Object mergeList = g.metadata().get("tokenizer.ggml.merges");
                Object types = g.metadata().get("tokenizer.ggml.token_type");
                if (!(tokens instanceof String[] ts) || !(mergeList instanceof String[] ms)) {
                    throw usage(vocabFrom + " holds no GPT-2 vocabulary");
                }
                Map<String, Integer> specials = new HashMap<>();
                if (types instanceof int[] tt) {
                    for (int i = 0; i < tt.length && i < ts.length; i++) {
                        if (tt[i] == 3) {
                            specials.put(ts[i], i);
                        }
                    }
                }
                return new Vocabulary(List.of(ts), List.of(ms), specials);
            }
        }
        if ((vocabJson == null) != (merges == null)) {
            throw usage("--vocab and --merges go together");
        }
        if (vocabJson != null) {
            return Vocabulary.read(vocabJson, merges);
        }
        String dataDir = System.getenv("GPT2_TOKENIZER_DATA");
        Path dir = dataDir != null ? Path.of(dataDir)
                : Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache"),
                        "gpt2-java", "tokenizer-data");
        Path enc = dir.resolve("gpt2/encoder.json"), bpe = dir.resolve("gpt2/vocab.bpe");
        if (!Files.isRegularFile(enc) || !Files.isRegularFile(bpe)) {
            throw usage("no vocabulary given and none in " + dir.resolve("gpt2")
                    + " (run ci/fetch-tokenizer-data.sh, or give --vocab/--merges or --vocab-from)");
        }
        return Vocabulary.read(enc, bpe);
    }
}
