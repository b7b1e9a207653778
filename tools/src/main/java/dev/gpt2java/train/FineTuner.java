package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Fine-tunes an existing GPT-2 on instructions (supervised, the loss on the response tokens only) or on
 * preferences (Direct Preference Optimization against the frozen starting model): {@link FineTuneParams}.
 * The optimisation is the trainer's own ({@link Loop}: AdamW, warm-up then cosine decay, clipping,
 * checkpoints and resume, progress), on the pure-Java training pass; the same parameters and files give
 * the same model bit for bit on any thread count.
 *
 * <p>Each prompt and response are tokenized apart and joined as {@code prompt ++ response ++
 * <|endoftext|>} (no token before the prompt, as {@code gpt2 generate} reads a prompt); the loss covers
 * the response's tokens and the closing {@code <|endoftext|>}. The sequences of a step are padded with
 * {@code <|endoftext|>} to the longest example of the data (positions after a sequence's end never
 * influence it: attention is causal), the padding without loss. SFT's loss is the mean over the scored
 * tokens of the step (as Hugging Face's labels of -100 give); DPO's the mean over the step's pairs.
 *
 * <pre>{@code
 * var p = FineTuneParams.defaults(Path.of("models/gpt2-kjv.gguf"), Path.of("qa.jsonl"), Path.of("tuned.gguf"),
 *         FineTuneParams.Method.SFT, 200);
 * FineTuner.Result r = FineTuner.finetune(p, null, progress -> System.err.println(progress));
 * }</pre>
 */
public final class FineTuner {

    /**
     * What a run would train on: the examples (or pairs) of the data and validation files, the padded
     * sequence length, the scored tokens of the data and the hash a checkpoint must match.
     */
    public record Plan(ModelShape shape, int examples, int valExamples, int seqLen, long scoredTokens,
                       String dataSha256) {
    }

    /**
     * What a run achieved.
     *
     * @param trainLoss     mean training loss over the last 5% of steps (at least one)
     * @param startValLoss  the validation loss of the starting model (NaN without validation data; for DPO
     *                      always log 2, the policy being the reference)
     * @param valLoss       the validation loss at the end (NaN without validation data)
     */
    public record Result(int steps, int examples, int valExamples, int seqLen, float trainLoss, float startValLoss,
                         float valLoss, double elapsedSeconds, String dataSha256) {
    }

    private FineTuner() {
    }

    /** Reads and checks {@code p}'s model and files without training. */
    public static Plan plan(FineTuneParams p) throws IOException {
        Prepared d = prepare(p);
        long scored = 0;
        for (FineTuneData.Sequence[] item : d.train) {
            for (FineTuneData.Sequence s : item) {
                scored += s.scoredCount();
            }
        }
        return new Plan(d.base.shape(), d.train.size(), d.val.size(), d.seqLen, scored, d.sha);
    }

    /**
     * Runs {@code p}; resumes from {@code resume} when not null (a checkpoint of the same run: model, files,
     * method, β, batch and seed). Writes {@code p.output()} at the end and the checkpoint as set.
     *
     * @throws IOException              if a file cannot be read or written
     * @throws IllegalArgumentException if the model or a data file is not what fine-tuning takes (the message
     *                                  names the file, the line and the field), or the checkpoint another run's
     */
    public static Result finetune(FineTuneParams p, Path resume, Consumer<Trainer.Progress> listener)
            throws IOException {
        long t0 = System.nanoTime();
        Prepared d = prepare(p);
        int per = d.rowsPerItem(), rows = p.batch() * per, seqLen = d.seqLen;
        ModelShape shape = d.base.shape();
        try (Workers workers = new Workers(p.threads());
                TrainingModel model = new TrainingModel(shape, rows, seqLen, workers)) {
            System.arraycopy(d.base.params(), 0, model.params, 0, model.params.length);
            Objective objective = p.method() == FineTuneParams.Method.SFT
                    ? new Sft(d, p.batch(), p.seed())
                    : new Dpo(d, p.batch(), p.seed(), p.beta(), model);
            float startVal = d.val.isEmpty() ? Float.NaN : objective.validation(model);
            FineTuneParams.Adapters ad = p.adapters();
            Lora lora = ad == null ? null : new Lora(model.layout, d.base.params(), ad.rank(), ad.alpha(), p.seed());
            Trainable trainable = lora == null ? Trainable.of(model) : lora.trainable(model);
            if (lora != null) {
                objective = adapted(objective, lora);
            }
            Loop loop = new Loop(shape, rows, seqLen, p.steps(), p.schedule(), p.clip(), p.beta1(), p.beta2(), p.eps(),
                    p.weightDecay(), p.evalEvery(), p.checkpoint(), p.checkpointEvery(), p.seed());
            Loop.Outcome o = loop.run(model, trainable, d.sha, resume, objective, (long) rows * seqLen, t0, listener);
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("general.source.trainer", "gpt2-java");
            provenance.put("gpt2java.finetune.method", p.method().name().toLowerCase(java.util.Locale.ROOT));
            provenance.put("gpt2java.finetune.base", d.base.name());
            provenance.put("gpt2java.finetune.data_sha256", d.sha);
            if (lora != null) {
                provenance.put("gpt2java.finetune.lora", "rank " + ad.rank() + ", alpha " + ad.alpha());
            }
            if (lora == null || ad.merge()) {
                ModelFile.write(p.output(), p.outputType(), p.name(), model.layout, model.params, d.base.vocab(),
                        provenance);
            } else {
                lora.write(p.output(), p.name(), provenance);
            }
            return new Result(p.steps(), d.train.size(), d.val.size(), seqLen, o.trainLoss(), startVal, o.valLoss(),
                    o.elapsedSeconds(), d.sha);
        }
    }

    /** {@code inner} with the gradient of its loss taken with respect to {@code lora}'s adapters. */
    static Objective adapted(Objective inner, Lora lora) {
        return new Objective() {
            @Override
            public float step(TrainingPass model, int step) {
                float loss = inner.step(model, step);
                lora.gradients(model.grads);
                return loss;
            }

            @Override
            public float validation(TrainingPass model) {
                return inner.validation(model);
            }
        };
    }

    // ------------------------------------------------------------------ data

    /** The base model, the items (one sequence for SFT, chosen and rejected for DPO), the padded length, the hash. */
    record Prepared(BaseModel base, List<FineTuneData.Sequence[]> train, List<FineTuneData.Sequence[]> val,
                    int seqLen, String sha) {
        int rowsPerItem() {
            return train.get(0).length;
        }
    }

    static Prepared prepare(FineTuneParams p) throws IOException {
        for (Path f : p.val() == null ? List.of(p.base(), p.data()) : List.of(p.base(), p.data(), p.val())) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("no such file: " + f);
            }
        }
        BaseModel base = BaseModel.read(p.base());
        Gpt2Tokenizer tok = base.vocab().tokenizer();
        int nCtx = base.shape().nCtx();
        List<FineTuneData.Sequence[]> train = items(p, p.data(), tok, base.eos(), nCtx);
        List<FineTuneData.Sequence[]> val = p.val() == null ? List.of() : items(p, p.val(), tok, base.eos(), nCtx);
        int seqLen = 1;
        for (List<FineTuneData.Sequence[]> list : List.of(train, val)) {
            for (FineTuneData.Sequence[] item : list) {
                for (FineTuneData.Sequence s : item) {
                    seqLen = Math.max(seqLen, s.inputs());
                }
            }
        }
        return new Prepared(base, train, val, seqLen, sha256(p));
    }

    private static List<FineTuneData.Sequence[]> items(FineTuneParams p, Path file, Gpt2Tokenizer tok, int eos,
                                                       int nCtx) throws IOException {
        List<FineTuneData.Sequence[]> out = new ArrayList<>();
        if (p.method() == FineTuneParams.Method.SFT) {
            for (FineTuneData.Example e : FineTuneData.examples(file, tok, eos, nCtx)) {
                out.add(new FineTuneData.Sequence[] {e.sequence()});
            }
        } else {
            for (FineTuneData.Pair e : FineTuneData.pairs(file, tok, eos, nCtx)) {
                out.add(new FineTuneData.Sequence[] {e.chosen(), e.rejected()});
            }
        }
        return out;
    }

    /** SHA-256 of what the run depends on besides its parameters: the method (and β), the model and the files. */
    private static String sha256(FineTuneParams p) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String head = "gpt2-java finetune " + p.method() + (p.method() == FineTuneParams.Method.DPO ? " beta " + p.beta() : "")
                + (p.adapters() == null ? "" : " lora rank " + p.adapters().rank() + " alpha " + p.adapters().alpha());
        md.update(head.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        byte[] buf = new byte[1 << 16];
        for (Path f : p.val() == null ? List.of(p.base(), p.data()) : List.of(p.base(), p.data(), p.val())) {
            try (InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * A batch of items at rows item × rowsPerItem + k (k: 0 the sequence or the chosen response, 1 the
     * rejected one), each row padded with {@code <|endoftext|>}; {@code rows[r]} null for a padding row.
     */
    record Batch(int[] inputs, int[] targets, FineTuneData.Sequence[] rows, int items) {
    }

    static Batch batch(List<FineTuneData.Sequence[]> items, int[] indices, int batch, int seqLen, int eos) {
        int per = items.get(0).length, nRows = batch * per;
        int[] in = new int[nRows * seqLen], tg = new int[nRows * seqLen];
        Arrays.fill(in, eos);
        Arrays.fill(tg, eos);
        FineTuneData.Sequence[] rows = new FineTuneData.Sequence[nRows];
        for (int b = 0; b < indices.length; b++) {
            FineTuneData.Sequence[] item = items.get(indices[b]);
            for (int k = 0; k < per; k++) {
                int r = b * per + k;
                FineTuneData.Sequence s = item[k];
                rows[r] = s;
                int[] t = s.tokens();
                System.arraycopy(t, 0, in, r * seqLen, t.length - 1);
                System.arraycopy(t, 1, tg, r * seqLen, t.length - 1);
            }
        }
        return new Batch(in, tg, rows, indices.length);
    }

    /** Σ of the per-token losses over row r's scored predictions (-log π(response | prompt), eos included). */
    static double scoredSum(float[] tokenLosses, Batch b, int r, int seqLen) {
        FineTuneData.Sequence s = b.rows[r];
        double sum = 0;
        for (int t = s.promptLen() - 1; t < s.inputs(); t++) {
            sum += tokenLosses[r * seqLen + t];
        }
        return sum;
    }

    /**
     * The items of training step {@code step}: item k = step × batch + b of the sequence formed by
     * concatenating one permutation of all items per epoch, each seeded by (seed, epoch).
     */
    static final class Order {
        private final int n;
        private final long seed;
        private int epoch = -1;
        private int[] perm;

        Order(int n, long seed) {
            this.n = n;
            this.seed = seed;
        }

        int[] at(int step, int batch) {
            int[] out = new int[batch];
            for (int b = 0; b < batch; b++) {
                long k = (long) step * batch + b;
                int e = (int) (k / n);
                if (e != epoch) {
                    perm = permutation(e);
                    epoch = e;
                }
                out[b] = perm[(int) (k % n)];
            }
            return out;
        }

        private int[] permutation(int e) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            SplittableRandom rnd = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (e + 1)));
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            return p;
        }
    }

    /** Indices 0 .. size - 1 in consecutive batches of {@code batch}, the last one short. */
    static List<int[]> inOrder(int size, int batch) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < size; i += batch) {
            int n = Math.min(batch, size - i);
            int[] idx = new int[n];
            for (int j = 0; j < n; j++) {
                idx[j] = i + j;
            }
            out.add(idx);
        }
        return out;
    }

    // ------------------------------------------------------------------ objectives

    /** Supervised fine-tuning: the mean cross-entropy of the scored tokens of each batch. */
    static final class Sft implements Objective {
        private final Prepared d;
        private final int batch;
        private final Order order;

        Sft(Prepared d, int batch, long seed) {
            this.d = d;
            this.batch = batch;
            this.order = new Order(d.train.size(), seed);
        }

        /** 1 / (scored tokens of the batch) at each scored prediction, 0 elsewhere. */
        static float[] weights(Batch b, int seqLen) {
            long count = 0;
            for (FineTuneData.Sequence s : b.rows) {
                count += s == null ? 0 : s.scoredCount();
            }
            float w = 1f / count;
            float[] out = new float[b.rows.length * seqLen];
            for (int r = 0; r < b.rows.length; r++) {
                FineTuneData.Sequence s = b.rows[r];
                for (int t = 0; s != null && t < seqLen; t++) {
                    if (s.scored(t)) {
                        out[r * seqLen + t] = w;
                    }
                }
            }
            return out;
        }

        @Override
        public float step(TrainingPass model, int step) {
            Batch b = batch(d.train, order.at(step, batch), batch, d.seqLen, d.base.eos());
            float[] w = weights(b, d.seqLen);
            float[] ce = model.weightedGradients(b.inputs, b.targets, w);
            double loss = 0;
            for (int i = 0; i < w.length; i++) {
                loss += (double) w[i] * ce[i];
            }
            return (float) loss;
        }

        @Override
        public float validation(TrainingPass model) {
            if (d.val.isEmpty()) {
                return Float.NaN;
            }
            double sum = 0;
            long count = 0;
            for (int[] idx : inOrder(d.val.size(), batch)) {
                Batch b = batch(d.val, idx, batch, d.seqLen, d.base.eos());
                float[] ce = model.tokenLosses(b.inputs, b.targets);
                for (int r = 0; r < b.rows.length; r++) {
                    if (b.rows[r] != null) {
                        sum += scoredSum(ce, b, r, d.seqLen);
                        count += b.rows[r].scoredCount();
                    }
                }
            }
            return (float) (sum / count);
        }
    }

    /**
     * Direct Preference Optimization: per pair z = β[(log πθ(c) - log πref(c)) - (log πθ(r) - log πref(r))]
     * and the loss -log σ(z), averaged over the batch's pairs. With log π = -Σ CEᵢ over the scored tokens,
     * dL/dCEᵢ = β σ(-z) / P on the chosen response's tokens and -β σ(-z) / P on the rejected one's: the
     * weights of the pass's weighted gradient. The reference log-probabilities are the starting model's,
     * computed once before the first step (and again, from the same model, on resume).
     */
    static final class Dpo implements Objective {
        private final Prepared d;
        private final int batch;
        private final float beta;
        private final Order order;
        /** log πref of item i's chosen [i][0] and rejected [i][1] response. */
        private final double[][] refTrain, refVal;

        Dpo(Prepared d, int batch, long seed, float beta, TrainingPass reference) {
            this.d = d;
            this.batch = batch;
            this.beta = beta;
            this.order = new Order(d.train.size(), seed);
            this.refTrain = logProbs(reference, d.train);
            this.refVal = logProbs(reference, d.val);
        }

        private double[][] logProbs(TrainingPass model, List<FineTuneData.Sequence[]> items) {
            double[][] out = new double[items.size()][2];
            int at = 0;
            for (int[] idx : inOrder(items.size(), batch)) {
                Batch b = batch(items, idx, batch, d.seqLen, d.base.eos());
                float[] ce = model.tokenLosses(b.inputs, b.targets);
                for (int i = 0; i < b.items; i++, at++) {
                    out[at][0] = -scoredSum(ce, b, 2 * i, d.seqLen);
                    out[at][1] = -scoredSum(ce, b, 2 * i + 1, d.seqLen);
                }
            }
            return out;
        }

        /** z of pair i of the batch, whose items are {@code idx} of {@code ref}'s list. */
        private double margin(float[] ce, Batch b, int i, double[] ref) {
            double chosen = -scoredSum(ce, b, 2 * i, d.seqLen), rejected = -scoredSum(ce, b, 2 * i + 1, d.seqLen);
            return beta * ((chosen - ref[0]) - (rejected - ref[1]));
        }

        /** -log σ(z) = log(1 + e^-z), without overflow. */
        static double softplusNeg(double z) {
            return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
        }

        @Override
        public float step(TrainingPass model, int step) {
            int[] idx = order.at(step, batch);
            Batch b = batch(d.train, idx, batch, d.seqLen, d.base.eos());
            double[] loss = new double[1];
            model.weightedGradients(b.inputs, b.targets, ce -> {
                float[] w = new float[ce.length];
                for (int i = 0; i < b.items; i++) {
                    double z = margin(ce, b, i, refTrain[idx[i]]);
                    loss[0] += softplusNeg(z) / b.items;
                    float g = (float) (beta / (1 + Math.exp(z)) / b.items);    // β σ(-z) / P
                    for (int k = 0; k < 2; k++) {
                        int r = 2 * i + k;
                        FineTuneData.Sequence s = b.rows[r];
                        for (int t = s.promptLen() - 1; t < s.inputs(); t++) {
                            w[r * d.seqLen + t] = k == 0 ? g : -g;
                        }
                    }
                }
                return w;
            });
            return (float) loss[0];
        }

        @Override
        public float validation(TrainingPass model) {
            if (d.val.isEmpty()) {
                return Float.NaN;
            }
            double sum = 0;
            for (int[] idx : inOrder(d.val.size(), batch)) {
                Batch b = batch(d.val, idx, batch, d.seqLen, d.base.eos());
                float[] ce = model.tokenLosses(b.inputs, b.targets);
                for (int i = 0; i < b.items; i++) {
                    sum += softplusNeg(margin(ce, b, i, refVal[idx[i]]));
                }
            }
            return (float) (sum / d.val.size());
        }
    }
}
