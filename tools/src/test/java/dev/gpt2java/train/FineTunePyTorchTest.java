package dev.gpt2java.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.ModelShape;
import dev.gpt2java.testsupport.Json;
import dev.gpt2java.testsupport.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fine-tuning's losses and gradients against PyTorch's (fixtures/finetune, made by
 * fixtures/make_finetune_fixtures.py): SFT's masked loss as transformers computes it from labels of -100
 * on the prompt and the padding, DPO's loss against a reference model, and SFT's through low-rank adapters
 * (LoRA, written out in PyTorch: W + (alpha / rank) B A on each Conv1D), each through FineTuner's own
 * batching, masking and weighting, on 1 and 2 threads; at the trainer's bounds (PyTorchGradientTest: loss
 * within 1e-5, every tensor's gradient within 1e-4 of its largest element).
 */
class FineTunePyTorchTest {

    static final Path DIR = Path.of(System.getProperty("gpt2.fixtures.dir", "../fixtures")).resolve("finetune");

    /** The fixtures' meta.json (shape, sequence lengths, EOS, beta, LoRA rank and alpha), and its EOS token. */
    static Map<String, Object> meta;
    static int eos;

    @BeforeAll
    static void readMeta() throws IOException {
        meta = json("meta.json");
        eos = PyTorchGradientTest.intOf(meta, "eos");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String file) throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(DIR.resolve(file)));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(String file) throws IOException {
        return (List<Map<String, Object>>) Json.parse(Files.readString(DIR.resolve(file)));
    }

    static ModelShape shape(Map<String, Object> m) {
        return PyTorchGradientTest.shape(m);
    }

    static FineTuneData.Sequence sequence(Map<String, Object> item, String response, int eos) {
        int[] p = Json.ints(item.get("prompt")), r = Json.ints(item.get(response));
        int[] all = new int[p.length + r.length + 1];
        System.arraycopy(p, 0, all, 0, p.length);
        System.arraycopy(r, 0, all, p.length, r.length);
        all[all.length - 1] = eos;
        return new FineTuneData.Sequence(all, p.length);
    }

    /** The SFT fixture's examples: each prompt with its response and EOS. */
    static List<FineTuneData.Sequence[]> sftExamples() throws IOException {
        List<FineTuneData.Sequence[]> list = new ArrayList<>();
        for (var item : items("sft/items.json")) {
            list.add(new FineTuneData.Sequence[] {sequence(item, "response", eos)});
        }
        return list;
    }

    /** The loss as FineTuner weighs it: sum of weight × cross-entropy, in double. */
    static double weightedSum(float[] weights, float[] ce) {
        double loss = 0;
        for (int i = 0; i < ce.length; i++) {
            loss += (double) weights[i] * ce[i];
        }
        return loss;
    }

    static float[] weights(Path folder, Parameters layout) {
        float[] out = new float[layout.count];
        for (Parameters.Tensor t : layout.tensors()) {
            float[] v = Npy.load(folder.resolve(t.name() + ".npy")).floats();
            assertEquals(t.size(), v.length, t.name());
            System.arraycopy(v, 0, out, t.offset(), v.length);
        }
        return out;
    }

    /** The worst relative error (max |ours - ref| / max |ref|) over the tensors, and its tensor; asserted within 1e-4. */
    static void assertGradientsMatch(TrainingPass model, Path refs, String what) {
        int c = model.layout.shape.nEmbd();
        var worst = PyTorchGradientTest.Worst.of(model.layout.tensors(), t -> {
            float[] ref = Npy.load(refs.resolve(t.name() + ".npy")).floats();
            if (t.name().endsWith("attn_qkv.bias")) {
                // the key bias: softmax ignores a constant added to a query's scores, so its gradient is
                // rounding noise in both (PyTorchGradientTest checks that); compared: query and value biases
                for (int i = c; i < 2 * c; i++) {
                    ref[i] = model.grads[t.offset() + i];
                }
            }
            return PyTorchGradientTest.relErr(model.grads, t.offset(), ref);
        });
        System.out.printf("FineTunePyTorchTest (%s): worst gradient %s at %.2e%n", what, worst.name(), worst.err());
        assertTrue(worst.err() < 1e-4, what + ": " + worst.name() + " off by " + worst.err());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void sftMaskedLossAndGradientsEqualTransformersWithLabelsMinus100(int threads) throws IOException {
        int seqLen = PyTorchGradientTest.intOf(meta, "sft_seq_len");
        List<FineTuneData.Sequence[]> list = sftExamples();
        int[] all = IntStream.range(0, list.size()).toArray();
        // one row more than the examples: a padding row, which must change nothing
        int batch = list.size() + 1;
        try (Workers w = new Workers(threads); var model = new TrainingModel(shape(meta), batch, seqLen, w)) {
            System.arraycopy(weights(DIR.resolve("params"), model.layout), 0, model.params, 0, model.layout.count);
            FineTuner.Batch b = FineTuner.batch(list, all, batch, seqLen, eos);
            float[] wts = FineTuner.Sft.weights(b, seqLen);
            float[] ce = model.weightedGradients(b.inputs(), b.targets(), wts);
            double loss = weightedSum(wts, ce);
            double ref = Npy.load(DIR.resolve("sft/loss.npy")).doubles()[0];
            System.out.printf("FineTunePyTorchTest (SFT, %d threads): loss %.9f vs %.9f%n", threads, loss, ref);
            assertEquals(ref, loss, 1e-5 * ref, "loss");
            assertGradientsMatch(model, DIR.resolve("sft/grads"), "SFT, " + threads + " threads");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void dpoLossAndGradientsEqualPyTorchsAgainstTheReferenceModel(int threads) throws IOException {
        int seqLen = PyTorchGradientTest.intOf(meta, "dpo_seq_len");
        float beta = PyTorchGradientTest.floatOf(meta, "beta");
        List<FineTuneData.Sequence[]> list = new ArrayList<>();
        for (var item : items("dpo/items.json")) {
            list.add(new FineTuneData.Sequence[] {sequence(item, "chosen", eos), sequence(item, "rejected", eos)});
        }
        ModelShape shape = shape(meta);
        int pairs = list.size();
        try (Workers w = new Workers(threads); var model = new TrainingModel(shape, 2 * pairs, seqLen, w)) {
            float[] ref = weights(DIR.resolve("params"), model.layout);
            System.arraycopy(ref, 0, model.params, 0, ref.length);
            var base = new BaseModel(shape, ref, null, eos, "reference", "f32");
            var d = new FineTuner.Prepared(base, list, List.of(), seqLen, "fixture");
            var dpo = new FineTuner.Dpo(d, pairs, 1, beta, model);       // log πref from the model as it is now
            System.arraycopy(weights(DIR.resolve("dpo/policy"), model.layout), 0, model.params, 0, ref.length);
            float loss = dpo.step(model, 0);                             // step 0: both pairs, in some order
            double refLoss = Npy.load(DIR.resolve("dpo/loss.npy")).doubles()[0];
            System.out.printf("FineTunePyTorchTest (DPO, %d threads): loss %.9f vs %.9f (margins %s)%n", threads, loss,
                    refLoss, meta.get("margins"));
            assertEquals(refLoss, loss, 1e-5 * refLoss, "loss");
            assertGradientsMatch(model, DIR.resolve("dpo/grads"), "DPO, " + threads + " threads");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void loraGradientsEqualPyTorchsThroughTheAdaptedMatrices(int threads) throws IOException {
        int seqLen = PyTorchGradientTest.intOf(meta, "sft_seq_len");
        List<FineTuneData.Sequence[]> list = sftExamples();
        int[] all = IntStream.range(0, list.size()).toArray();
        Path dir = DIR.resolve("lora");
        try (Workers w = new Workers(threads); var model = new TrainingModel(shape(meta), list.size(), seqLen, w)) {
            float[] base = weights(DIR.resolve("params"), model.layout);
            var lora = new Lora(model.layout, base, PyTorchGradientTest.intOf(meta, "lora_rank"),
                    PyTorchGradientTest.floatOf(meta, "lora_alpha"), 1);
            for (Parameters.Tensor t : lora.tensors) {
                float[] v = Npy.load(dir.resolve("params").resolve(t.name() + ".npy")).floats();
                assertEquals(t.size(), v.length, t.name());
                System.arraycopy(v, 0, lora.params, t.offset(), v.length);
            }
            lora.apply(model.params);
            double worstMerge = 0;
            for (Lora.Target t : lora.targets) {
                float[] ref = Npy.load(dir.resolve("merged").resolve(t.name() + ".npy")).floats();
                worstMerge = Math.max(worstMerge, PyTorchGradientTest.relErr(model.params, t.w(), ref));
            }
            FineTuner.Batch b = FineTuner.batch(list, all, list.size(), seqLen, eos);
            float[] wts = FineTuner.Sft.weights(b, seqLen);
            float[] ce = model.weightedGradients(b.inputs(), b.targets(), wts);
            lora.gradients(model.grads);
            double loss = weightedSum(wts, ce);
            double refLoss = Npy.load(dir.resolve("loss.npy")).doubles()[0];
            var worst = PyTorchGradientTest.Worst.of(lora.tensors, t -> PyTorchGradientTest.relErr(lora.grads, t.offset(),
                    Npy.load(dir.resolve("grads").resolve(t.name() + ".npy")).floats()));
            System.out.printf("FineTunePyTorchTest (LoRA, %d threads): merged matrices within %.2e, loss %.9f vs %.9f, "
                    + "worst adapter gradient %s at %.2e%n", threads, worstMerge, loss, refLoss, worst.name(), worst.err());
            assertTrue(worstMerge < 1e-6, "merged matrices off by " + worstMerge);
            assertEquals(refLoss, loss, 1e-5 * refLoss, "loss");
            assertTrue(worst.err() < 1e-4, worst.name() + " off by " + worst.err());
        }
    }
}
