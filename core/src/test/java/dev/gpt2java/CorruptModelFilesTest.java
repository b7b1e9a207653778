package dev.gpt2java;

import dev.gpt2java.testsupport.RandomModel;
import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Corrupt model files, made from a valid random model (empty, truncated, bad magic or version, random
 * byte flips, wrong architecture, missing tensors, wrong shapes, absurd dimensions), are refused with a
 * Gpt2Exception whose message names the file; the JVM never crashes (libgpt2 never aborts).
 */
class CorruptModelFilesTest {

    static Path dir;
    static byte[] valid;
    static Gguf gguf;
    static int nVocab, nCtx, nEmbd, nLayer;

    @BeforeAll
    static void makeValidModel() throws IOException {
        dir = TestSupport.tmpDir("corrupt");
        RandomModel p = RandomModel.defaults().withNVocab(300).withNCtx(32).withNEmbd(32).withNHead(2)
                .withNLayer(2).withSeed(3);
        Path f = TestSupport.randomModel("corrupt", "valid", p);
        valid = Files.readAllBytes(f);
        gguf = Gguf.read(f);
        nVocab = p.nVocab();
        nCtx = p.nCtx();
        nEmbd = p.nEmbd();
        nLayer = p.nLayer();
        try (Gpt2Model m = Gpt2Model.load(f)) {
            assertEquals(nVocab, m.nVocab(), "the base model is valid");
        }
        // our reader/writer round-trips the file: the structural cases differ from it only where meant
        Path rewritten = dir.resolve("rewritten.gguf");
        gguf.write(rewritten);
        try (Gpt2Model m = Gpt2Model.load(rewritten)) {
            assertEquals(nVocab, m.nVocab(), "the rewritten base model is valid");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // outcomes
    // ---------------------------------------------------------------------------------------------

    static Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name + ".gguf");
        Files.write(f, bytes);
        return f;
    }

    /** The file must be refused as malformed (Status.FORMAT), with a message that names it. */
    static void assertRefused(String name, byte[] bytes) throws IOException {
        Path f = write(name, bytes);
        try (Gpt2Model m = Gpt2Model.load(f)) {
            fail(name + ": loaded, should have been refused (" + m + ")");
        } catch (Gpt2Exception e) {
            assertEquals(Status.FORMAT, e.status(), () -> name + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(f.toString()), () -> name + ": message does not name the file: " + e.getMessage());
            assertTrue(e.nativeMessage().contains(f.getFileName().toString()),
                    () -> name + ": libgpt2's message does not name the file: " + e.nativeMessage());
        }
        Files.delete(f);
    }

    enum Outcome { LOADED_AND_EVALUATED, REFUSED }

    /** Either loads (then a session evaluates a token: it may fail, cleanly) or is refused naming the file. */
    static Outcome loadsOrIsRefusedCleanly(String name, byte[] bytes) throws IOException {
        Path f = write(name, bytes);
        Outcome o;
        try (Gpt2Model m = Gpt2Model.load(f)) {
            try (Session s = m.newSession(SessionParams.defaults().withNCells(Math.min(8, m.nCtxTrain())).withNBatch(2))) {
                s.eval(0, 0, Math.min(1, m.nVocab() - 1));
            } catch (Gpt2Exception e) {
                // a strange but loadable model may still fail to evaluate: cleanly is all we ask
            }
            o = Outcome.LOADED_AND_EVALUATED;
        } catch (Gpt2Exception e) {
            assertTrue(e.getMessage().contains(f.toString()), () -> name + ": message does not name the file: " + e.getMessage());
            o = Outcome.REFUSED;
        }
        Files.delete(f);
        return o;
    }

    static byte[] edit(Consumer<Gguf> change) {
        Gguf g = gguf.copy();
        change.accept(g);
        return g.toBytes();
    }

    static Gguf.Value sameType(String key, long v) {
        return new Gguf.Value(gguf.get(key).type(), gguf.get(key).type() == Gguf.T_U64 ? (Object) v : (Object) (int) v);
    }

    // ---------------------------------------------------------------------------------------------
    // bytes
    // ---------------------------------------------------------------------------------------------

    @Test
    void emptyFileIsRefused() throws IOException {
        assertRefused("empty", new byte[0]);
    }

    @TestFactory
    Stream<DynamicTest> truncatedFilesAreRefused() {
        TreeSet<Long> cuts = new TreeSet<>();
        for (long i = 1; i < 64; i++) {
            cuts.add(i);
        }
        for (int i = 0; i <= 40; i++) {
            cuts.add(64 + (gguf.endOfTensorInfos - 64) * i / 40);             // through the metadata
        }
        for (int i = 0; i < 20; i++) {
            cuts.add(gguf.dataStart + (gguf.dataEnd - 1 - gguf.dataStart) * i / 19); // through the weights
        }
        cuts.add(gguf.dataEnd - 1);
        return cuts.stream().filter(c -> c < gguf.dataEnd).map(c -> dynamicTest("cut at " + c + " of " + valid.length,
                () -> assertRefused("truncated-" + c, Arrays.copyOf(valid, Math.toIntExact(c)))));
    }

    @TestFactory
    Stream<DynamicTest> badMagicIsRefused() {
        Map<String, byte[]> magics = new LinkedHashMap<>();
        magics.put("GGUX", "GGUX".getBytes());
        magics.put("ggml", "ggml".getBytes());
        magics.put("zeros", new byte[4]);
        magics.put("FUGG", "FUGG".getBytes());
        return magics.entrySet().stream().map(e -> dynamicTest(e.getKey(), () -> {
            byte[] b = valid.clone();
            System.arraycopy(e.getValue(), 0, b, 0, 4);
            assertRefused("magic-" + e.getKey(), b);
        }));
    }

    @TestFactory
    Stream<DynamicTest> unsupportedVersionsAreRefused() {
        return Stream.of(0, 1, 4, 0x7fffffff, -1).map(v -> dynamicTest("version " + Integer.toUnsignedString(v), () -> {
            byte[] b = valid.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(4, v);
            assertRefused("version-" + Integer.toUnsignedString(v), b);
        }));
    }

    @TestFactory
    Stream<DynamicTest> absurdCountsInTheHeaderAreRefused() {
        Map<String, long[]> cases = new LinkedHashMap<>();
        cases.put("n_tensors 2^40", new long[] {8, 1L << 40});
        cases.put("n_tensors -1", new long[] {8, -1});
        cases.put("n_tensors 0", new long[] {8, 0});
        cases.put("n_kv 2^40", new long[] {16, 1L << 40});
        cases.put("n_kv -1", new long[] {16, -1});
        cases.put("n_kv 0", new long[] {16, 0});
        return cases.entrySet().stream().map(e -> dynamicTest(e.getKey(), () -> {
            byte[] b = valid.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong((int) e.getValue()[0], e.getValue()[1]);
            assertRefused("header-" + e.getKey().replace(' ', '-').replace("^", ""), b);
        }));
    }

    @Test
    void randomByteFlipsNeverCrashAndRefusalsNameTheFile() throws IOException {
        Random rnd = new Random(20261126);
        int refused = 0;
        int loaded = 0;
        int inMetadata = 300;
        for (int i = 0; i < inMetadata; i++) {
            byte[] b = valid.clone();
            int flips = 1 + rnd.nextInt(3);
            StringBuilder where = new StringBuilder();
            for (int k = 0; k < flips; k++) {
                int off = rnd.nextInt(Math.toIntExact(gguf.endOfTensorInfos));
                b[off] ^= (byte) (1 + rnd.nextInt(255));
                where.append('-').append(off);
            }
            if (loadsOrIsRefusedCleanly("flip" + where, b) == Outcome.REFUSED) {
                refused++;
            } else {
                loaded++;
            }
        }
        int inWeights = 30;
        for (int i = 0; i < inWeights; i++) {
            byte[] b = valid.clone();
            int off = Math.toIntExact(gguf.dataStart + rnd.nextLong(gguf.dataEnd - gguf.dataStart));
            b[off] ^= (byte) (1 + rnd.nextInt(255));
            assertEquals(Outcome.LOADED_AND_EVALUATED, loadsOrIsRefusedCleanly("flip-weights-" + off, b),
                    "a flipped weight byte is still a valid file");
            loaded++;
        }
        System.out.printf("byte flips: %d files with flips in the metadata, %d in the weights: %d refused, %d loaded and"
                + " evaluated; no crash%n", inMetadata, inWeights, refused, loaded);
        assertTrue(refused > inMetadata / 4, "most metadata flips make an invalid file; only " + refused + " refused");
    }

    // ---------------------------------------------------------------------------------------------
    // structure
    // ---------------------------------------------------------------------------------------------

    /** Files that are well-formed GGUF but not a valid GPT-2 model; each must be refused. */
    static Map<String, byte[]> structuralDefects() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        int e = nEmbd;
        c.put("architecture-llama", edit(g -> g.set("general.architecture", Gguf.str("llama"))));
        c.put("architecture-empty", edit(g -> g.set("general.architecture", Gguf.str(""))));
        c.put("architecture-missing", edit(g -> g.remove("general.architecture")));
        for (String t : List.of("token_embd.weight", "position_embd.weight", "output_norm.weight", "output_norm.bias",
                "blk.0.attn_qkv.weight", "blk.0.attn_qkv.bias", "blk.0.attn_output.weight", "blk.1.ffn_up.weight",
                "blk.1.ffn_down.bias", "blk.1.attn_norm.weight", "blk.1.ffn_norm.bias")) {
            c.put("missing-" + t, edit(g -> g.removeTensor(t)));
        }
        c.put("shape-qkv-transposed", edit(g -> g.editTensor("blk.0.attn_qkv.weight", t -> t.withDims(3L * e, e))));
        c.put("shape-token-embd-one-row-short", edit(g -> g.editTensor("token_embd.weight",
                t -> t.withDims(e, nVocab - 1).withData(Arrays.copyOf(t.data(), (nVocab - 1) * e * 4)))));
        c.put("shape-position-embd-one-row-long", edit(g -> g.editTensor("position_embd.weight",
                t -> t.withDims(e, nCtx + 1).withData(Arrays.copyOf(t.data(), (nCtx + 1) * e * 4)))));
        c.put("shape-ffn-up-3x", edit(g -> g.editTensor("blk.0.ffn_up.weight",
                t -> t.withDims(e, 3L * e).withData(Arrays.copyOf(t.data(), 3 * e * e * 4)))));
        c.put("shape-output-norm-long", edit(g -> g.editTensor("output_norm.weight",
                t -> t.withDims(e + 1).withData(Arrays.copyOf(t.data(), (e + 1) * 4)))));
        c.put("shape-bias-2d", edit(g -> g.editTensor("blk.0.attn_output.bias", t -> t.withDims(e / 2, 2))));
        c.put("dims-zero", edit(g -> g.editTensor("blk.0.attn_qkv.weight", t -> t.withDims(0, 3L * e).withData(new byte[0]))));
        c.put("dims-five", edit(g -> g.editTensor("blk.0.attn_qkv.weight", t -> t.withDims(e, 3L * e, 1, 1, 1))));
        c.put("dims-overflow", edit(g -> g.editTensor("blk.0.attn_qkv.weight", t -> t.withDims(1L << 40, 1L << 40))));
        c.put("dims-negative", edit(g -> g.editTensor("blk.0.attn_qkv.weight", t -> t.withDims(-1, 3L * e))));
        c.put("tensor-type-99", edit(g -> g.editTensor("blk.0.attn_qkv.weight", t -> t.withType(99))));
        c.put("tensor-type-negative", edit(g -> g.editTensor("blk.0.attn_qkv.weight", t -> t.withType(-5))));
        c.put("tensor-offset-past-end", edit(g -> g.editTensor("blk.1.ffn_down.weight", t -> t.withOffset(1L << 30))));
        c.put("tensor-offset-unaligned", edit(g -> g.editTensor("blk.1.ffn_down.weight", t -> t.withOffset(3))));
        c.put("tensor-duplicate", edit(g -> g.tensors.add(g.tensor("output_norm.bias"))));
        c.put("key-duplicate", edit(g -> g.kvs.add(new Gguf.Kv("gpt2.block_count", g.get("gpt2.block_count")))));
        c.put("alignment-zero", edit(g -> g.set("general.alignment", Gguf.u32(0))));
        c.put("alignment-three", edit(g -> g.set("general.alignment", Gguf.u32(3))));
        // absurd or inconsistent hyper-parameters
        c.put("n_embd-2^30", edit(g -> g.set("gpt2.embedding_length", sameType("gpt2.embedding_length", 1L << 30))));
        c.put("n_embd-0", edit(g -> g.set("gpt2.embedding_length", sameType("gpt2.embedding_length", 0))));
        c.put("n_embd-plus-one", edit(g -> g.set("gpt2.embedding_length", sameType("gpt2.embedding_length", e + 1))));
        c.put("n_layer-2^20", edit(g -> g.set("gpt2.block_count", sameType("gpt2.block_count", 1L << 20))));
        c.put("n_layer-one-more", edit(g -> g.set("gpt2.block_count", sameType("gpt2.block_count", nLayer + 1))));
        c.put("n_layer-u32-max", edit(g -> g.set("gpt2.block_count", sameType("gpt2.block_count", 0xffffffffL))));
        c.put("n_head-0", edit(g -> g.set("gpt2.attention.head_count", sameType("gpt2.attention.head_count", 0))));
        c.put("n_head-3-not-dividing-n_embd", edit(g -> g.set("gpt2.attention.head_count", sameType("gpt2.attention.head_count", 3))));
        c.put("n_head-u32-max", edit(g -> g.set("gpt2.attention.head_count", sameType("gpt2.attention.head_count", 0xffffffffL))));
        c.put("n_ctx-0", edit(g -> g.set("gpt2.context_length", sameType("gpt2.context_length", 0))));
        c.put("n_ctx-2^31", edit(g -> g.set("gpt2.context_length", sameType("gpt2.context_length", 1L << 31))));
        c.put("n_ff-2^30", edit(g -> g.set("gpt2.feed_forward_length", sameType("gpt2.feed_forward_length", 1L << 30))));
        c.put("n_block_count-as-string", edit(g -> g.set("gpt2.block_count", Gguf.str("2"))));
        for (String k : List.of("gpt2.block_count", "gpt2.embedding_length", "gpt2.attention.head_count",
                "gpt2.context_length", "tokenizer.ggml.tokens")) {
            c.put("key-missing-" + k, edit(g -> g.remove(k)));
        }
        c.put("vocab-one-token-short", edit(g -> {
            Gguf.Arr a = (Gguf.Arr) g.get("tokenizer.ggml.tokens").value();
            g.set("tokenizer.ggml.tokens", new Gguf.Value(Gguf.T_ARRAY,
                    new Gguf.Arr(a.elementType(), a.elements().subList(0, a.elements().size() - 1))));
        }));
        c.put("vocab-tokens-not-strings", edit(g -> {
            Gguf.Arr a = (Gguf.Arr) g.get("tokenizer.ggml.tokens").value();
            List<Object> ints = new ArrayList<>();
            for (int i = 0; i < a.elements().size(); i++) {
                ints.add(i);
            }
            g.set("tokenizer.ggml.tokens", new Gguf.Value(Gguf.T_ARRAY, new Gguf.Arr(Gguf.T_I32, ints)));
        }));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> structurallyInvalidModelsAreRefused() {
        return structuralDefects().entrySet().stream()
                .map(e -> dynamicTest(e.getKey(), () -> assertRefused(e.getKey(), e.getValue())));
    }

    /** Odd but arguably valid metadata: loading may succeed or fail, never crash. */
    @TestFactory
    Stream<DynamicTest> questionableMetadataLoadsOrIsRefusedCleanly() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("eps-nan", edit(g -> g.set("gpt2.attention.layer_norm_epsilon", new Gguf.Value(Gguf.T_F32, Float.NaN))));
        c.put("eps-negative", edit(g -> g.set("gpt2.attention.layer_norm_epsilon", new Gguf.Value(Gguf.T_F32, -1f))));
        c.put("bos-out-of-range", edit(g -> g.set("tokenizer.ggml.bos_token_id", Gguf.u32(1 << 20))));
        c.put("eos-missing", edit(g -> g.remove("tokenizer.ggml.eos_token_id")));
        c.put("merges-missing", edit(g -> g.remove("tokenizer.ggml.merges")));
        c.put("token-types-missing", edit(g -> g.remove("tokenizer.ggml.token_type")));
        c.put("name-long", edit(g -> g.set("general.name", Gguf.str("x".repeat(100_000)))));
        c.put("extra-unknown-tensor", edit(g -> g.tensors.add(new Gguf.Tensor("blk.9.unknown.weight", new long[] {4}, 0, new byte[16]))));
        return c.entrySet().stream().map(e -> dynamicTest(e.getKey(), () -> {
            Outcome o = loadsOrIsRefusedCleanly("odd-" + e.getKey(), e.getValue());
            System.out.println("questionable metadata " + e.getKey() + ": " + o);
        }));
    }
}
