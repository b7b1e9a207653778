package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import dev.gpt2java.Engine;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import dev.gpt2java.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains a GPT-2 on text, its forward and backward passes in pure Java or in libgpt2
 * ({@link TrainParams#engine()}): AdamW, linear warm-up then cosine decay, global gradient-norm clipping, a held-out validation split, checkpoints to resume from, and a
 * GGUF model at the end.
 *
 * <pre>{@code
 * var vocab = Vocabulary.read(encoderJson, vocabBpe);
 * var shape = new ModelShape(50257, 256, 128, 4, 6);
 * var params = TrainParams.defaults(List.of(corpus), Path.of("model.gguf"), shape, 3000);
 * Trainer.Result r = Trainer.train(params, vocab, null, p -> System.err.println(p));
 * }</pre>
 */
public final class Trainer {

    /** Reported after every step; {@code valLoss} is NaN except at evaluation steps. */
    public record Progress(int step, int steps, float loss, float lr, float gradNorm, float valLoss,
                           double tokensPerSecond, double elapsedSeconds) {
    }

    /**
     * What a run achieved.
     *
     * @param trainTokens        tokens in the training split
     * @param valTokens          tokens in the validation split
     * @param trainLoss          mean training loss over the last 5% of steps (at least one)
     * @param valLoss            validation loss at the end
     * @param unigramValLoss     cross-entropy on the validation split of the unigram distribution of the training
     *                           split (add-one smoothing over the vocabulary): the baseline to beat
     * @param elapsedSeconds     wall time of the run, including any earlier part it resumed
     * @param corpusSha256       SHA-256 of the corpus bytes (files in order, each followed by one 0 byte)
     */
    public record Result(int steps, int trainTokens, int valTokens, float trainLoss, float valLoss,
                         double unigramValLoss, double elapsedSeconds, String corpusSha256) {
    }

    /**
     * What a run would train on, without training: the split and its baseline, and an opening from the
     * validation split (the first line that starts inside it) with the text that follows it in the corpus.
     */
    public record Plan(int trainTokens, int valTokens, double unigramValLoss, String corpusSha256,
                       String heldOutOpening, String heldOutContinuation) {
    }

    private Trainer() {
    }

    /** The split, the unigram baseline and a held-out opening of {@code p}'s corpus. */
    public static Plan plan(TrainParams p, Vocabulary vocab) throws IOException {
        Gpt2Tokenizer tok = vocab.tokenizer();
        Corpus corpus = read(p, tok);
        TokenData data = new TokenData(corpus.tokens(), 16 * p.seqLen(), p.valEvery(), p.seed());
        String val = tok.decode(java.util.Arrays.copyOf(data.val, Math.min(data.val.length, 4 * p.seqLen())));
        int nl = val.indexOf('\n');
        String from = nl >= 0 ? val.substring(nl + 1) : val;
        int[] ids = tok.encode(from);
        int n = Math.min(12, ids.length / 2);
        String opening = tok.decode(java.util.Arrays.copyOf(ids, n));
        String rest = tok.decode(java.util.Arrays.copyOfRange(ids, n, Math.min(ids.length, n + 40)));
        return new Plan(data.train.length, data.val.length, unigramCrossEntropy(data, p.shape().nVocab()),
                corpus.sha256(), opening, rest);
    }

    /**
     * Runs {@code p}; resumes from {@code resume} when not null (a checkpoint of the same shape, batch,
     * sequence length, seed and corpus). Writes {@code p.output()} at the end and the checkpoint as set.
     *
     * @throws IOException              if the corpus cannot be read or a file cannot be written
     * @throws IllegalArgumentException if the parameters do not fit the vocabulary, the corpus or the checkpoint
     */
    public static Result train(TrainParams p, Vocabulary vocab, Path resume, Consumer<Progress> listener)
            throws IOException {
        if (vocab.tokens().size() != p.shape().nVocab()) {
            throw new IllegalArgumentException("the model has n_vocab = " + p.shape().nVocab() + " but the vocabulary "
                    + vocab.tokens().size() + " tokens");
        }
        long t0 = System.nanoTime();
        Corpus corpus = read(p, vocab.tokenizer());
        String sha = corpus.sha256();
        int[] tokens = corpus.tokens();
        TokenData data = new TokenData(tokens, 16 * p.seqLen(), p.valEvery(), p.seed());
        int evalBatches = data.valBatches(p.batch(), p.seqLen(), p.evalBatches());
        if (evalBatches < 1) {
            throw new IllegalArgumentException("the validation split (" + data.val.length + " tokens) is shorter than one"
                    + " batch of " + p.batch() + " × " + p.seqLen() + "; use a larger corpus or a smaller batch");
        }
        double unigram = unigramCrossEntropy(data, p.shape().nVocab());
        try (Workers workers = new Workers(p.engine() == Engine.JAVA ? p.threads() : 1);
                TrainingPass model = p.engine() == Engine.JAVA
                        ? new TrainingModel(p.shape(), p.batch(), p.seqLen(), workers)
                        : new NativeTrainingModel(p.shape(), p.batch(), p.seqLen(), p.threads())) {
            model.layout.initialise(model.params, p.seed());
            Objective objective = new Objective() {
                @Override
                public float step(TrainingPass m, int step) {
                    int[][] batch = data.trainBatch(step, p.batch(), p.seqLen());
                    return m.lossAndGradients(batch[0], batch[1]);
                }

                @Override
                public float validation(TrainingPass m) {
                    return validationLoss(m, data, evalBatches, p);
                }
            };
            Loop.Outcome o = p.loop().run(model, sha, resume, objective, (long) p.batch() * p.seqLen(), t0, listener);
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("general.source.trainer", "gpt2-java");
            provenance.put("gpt2java.train.corpus_sha256", sha);
            ModelFile.write(p.output(), p.outputType(), p.name(), model.layout, model.params, vocab, provenance);
            return new Result(p.steps(), data.train.length, data.val.length, o.trainLoss(), o.valLoss(), unigram,
                    o.elapsedSeconds(), sha);
        }
    }

    private static float validationLoss(TrainingPass model, TokenData data, int batches, TrainParams p) {
        double sum = 0;
        for (int i = 0; i < batches; i++) {
            int[][] b = data.valBatch(i, p.batch(), p.seqLen());
            sum += model.loss(b[0], b[1]);
        }
        return (float) (sum / batches);
    }

    /** The corpus as tokens (each file's text, files joined by {@code <|endoftext|>}) and its SHA-256. */
    record Corpus(int[] tokens, String sha256) {
    }

    /**
     * Reads each file once: its bytes go into the hash (each followed by one 0 byte) and, decoded as strict
     * UTF-8, into the tokenizer.
     */
    static Corpus read(TrainParams p, Gpt2Tokenizer tok) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int eot = tok.specialTokens().getOrDefault(Gpt2Tokenizer.END_OF_TEXT, -1);
        java.util.List<int[]> parts = new java.util.ArrayList<>();
        int total = 0;
        for (Path f : p.corpus()) {
            byte[] bytes = Files.readAllBytes(f);
            md.update(bytes);
            md.update((byte) 0);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new IOException(f + ": not valid UTF-8 (" + e + ")", e);
            }
            int[] ids = tok.encode(text);
            parts.add(ids);
            total += ids.length + (eot >= 0 ? 1 : 0);
        }
        int[] all = new int[total];
        int at = 0;
        for (int[] ids : parts) {
            System.arraycopy(ids, 0, all, at, ids.length);
            at += ids.length;
            if (eot >= 0) {
                all[at++] = eot;
            }
        }
        return new Corpus(all, HexFormat.of().formatHex(md.digest()));
    }

    /** -mean log q(token) over the validation split, q the add-one unigram distribution of the training split. */
    static double unigramCrossEntropy(TokenData data, int nVocab) {
        long[] counts = new long[nVocab];
        for (int t : data.train) {
            counts[t]++;
        }
        double denom = data.train.length + (double) nVocab;
        double sum = 0;
        for (int t : data.val) {
            sum -= Math.log((counts[t] + 1) / denom);
        }
        return sum / data.val.length;
    }
}
