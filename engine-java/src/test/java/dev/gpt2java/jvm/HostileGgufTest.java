package dev.gpt2java.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gpt2java.Backend;
import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Exception;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Status;
import dev.gpt2java.jvm.GgufLayout.Entry;
import dev.gpt2java.jvm.GgufLayout.Kv;
import dev.gpt2java.jvm.GgufLayout.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/**
 * Hostile input: thousands of GGUF files made from a valid one by structured mutations (header fields,
 * key/value types and lengths, tensor infos, the tensor set, hyper-parameters, tokenizer arrays), by
 * truncation at every field boundary and by random byte flips, each loaded by both engines. One set of
 * rules (docs/GGUF.md) decides what a valid GPT-2 GGUF is: the engines agree on every file (both load,
 * or both refuse it as malformed; a file whose matrices the Java engine does not compute counts as
 * loaded), a loaded file's tokenizer builds in both or fails in both, and every refusal is a
 * {@link Gpt2Exception} whose message names the file, is one printable line, and is bounded. The counts
 * per kind and the outcome per engine are printed and written to {@code target/hostile-gguf.txt}.
 */
class HostileGgufTest {

    /** Longest message allowed, not counting the file's path (which it names, once or twice). */
    static final int MAX_MESSAGE = 300;

    enum Outcome { LOADS, FORMAT, UNSUPPORTED, TOKENIZER_REFUSED }

    record Mutation(String kind, String what, byte[] file) {
    }

    /** Per kind: tried, native outcomes, Java outcomes, agreements. */
    static final class Tally {
        int tried, agree;
        final Map<Outcome, Integer> nat = new LinkedHashMap<>(), jvm = new LinkedHashMap<>();
    }

    @Test
    void bothEnginesAgreeOnEveryMutatedFileAndEveryRefusalIsOneBoundedLineNamingTheFile() throws IOException {
        GgufLayout base = new GgufLayout(Files.readAllBytes(Fixtures.file("tiny-odd-heads", "model-q4_0.gguf")));
        List<Mutation> ms = new ArrayList<>();
        header(base, ms);
        keyValues(base, ms);
        hyperParameters(base, ms);
        tokenizer(base, ms);
        tensorInfos(base, ms);
        tensorSet(base, ms);
        truncations(base, ms);
        flips(base, ms);

        Path dir = Fixtures.tmpDir().resolve("hostile");
        Files.createDirectories(dir);
        Map<String, Tally> tallies = new LinkedHashMap<>();
        List<String> disagreements = new ArrayList<>();
        long t0 = System.nanoTime();
        int i = 0;
        for (Mutation m : ms) {
            Path f = dir.resolve(String.format("%05d-%s.gguf", i++, m.kind));
            Files.write(f, m.file);
            Outcome n = outcome(f, ModelParams.defaults().withBackend(Backend.CPU).withThreads(1), m);
            Outcome j = outcome(f, ModelParams.defaults().withEngine(Engine.JAVA), m);
            Files.delete(f);
            Tally t = tallies.computeIfAbsent(m.kind, k -> new Tally());
            t.tried++;
            t.nat.merge(n, 1, Integer::sum);
            t.jvm.merge(j, 1, Integer::sum);
            if (agree(n, j)) {
                t.agree++;
            } else {
                disagreements.add(m.kind + " " + m.what + ": native " + n + ", Java " + j);
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        StringBuilder report = new StringBuilder(String.format("hostile GGUF files: %d tried in %.1f s%n", ms.size(), s));
        report.append(String.format("%-14s %6s  %-48s %-48s %s%n", "kind", "tried", "native", "Java", "agree"));
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            report.append(String.format("%-14s %6d  %-48s %-48s %d%n", e.getKey(), t.tried, t.nat, t.jvm, t.agree));
        }
        System.out.print(report);
        Files.writeString(Path.of("target", "hostile-gguf.txt"), report + String.join("\n", disagreements) + "\n");
        assertTrue(disagreements.isEmpty(), disagreements.size() + " disagreements:\n"
                + String.join("\n", disagreements.subList(0, Math.min(40, disagreements.size()))));
        // the suite means something: the unchanged file loads, and most mutations are refused
        assertEquals(Outcome.LOADS, outcome(write(dir, base.bytes), ModelParams.defaults().withEngine(Engine.JAVA), null));
    }

    static Path write(Path dir, byte[] b) throws IOException {
        Path f = dir.resolve("base.gguf");
        Files.write(f, b);
        return f;
    }

    /** Valid (LOADS or UNSUPPORTED, the engine's own limit) in both, or refused alike. */
    static boolean agree(Outcome n, Outcome j) {
        boolean nv = n == Outcome.LOADS || n == Outcome.UNSUPPORTED;
        boolean jv = j == Outcome.LOADS || j == Outcome.UNSUPPORTED;
        if (nv != jv) {
            return false;
        }
        return (n == Outcome.TOKENIZER_REFUSED) == (j == Outcome.TOKENIZER_REFUSED);
    }

    static Outcome outcome(Path f, ModelParams p, Mutation m) {
        try (Gpt2Model model = Gpt2Model.load(f, p)) {
            try {
                model.tokenizer();
            } catch (Gpt2Exception e) {
                checkMessage(f, e, m);
                return Outcome.TOKENIZER_REFUSED;
            }
            for (int id = 0; id < model.nVocab(); id++) {
                model.tokenType(id);   // never fails on a loaded model
            }
            return Outcome.LOADS;
        } catch (Gpt2Exception e) {
            checkMessage(f, e, m);
            if (e.status() == Status.FORMAT) {
                return Outcome.FORMAT;
            }
            if (e.status() == Status.UNSUPPORTED) {
                return Outcome.UNSUPPORTED;
            }
            fail((m == null ? "base" : m.kind + " " + m.what) + ": status " + e.status() + ": " + e.getMessage());
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError((m == null ? "base" : m.kind + " " + m.what) + ": " + p.engine() + " threw " + e, e);
        }
    }

    static void checkMessage(Path f, Gpt2Exception e, Mutation m) {
        String msg = e.getMessage();
        String where = (m == null ? "base" : m.kind + " " + m.what) + ": " + msg;
        String path = f.toAbsolutePath().toString();
        assertTrue(msg.contains(path) || msg.contains(f.toString()), where);
        assertTrue(msg.chars().noneMatch(c -> c < 0x20 || (c >= 0x7F && c <= 0x9F)), where);
        String rest = msg.replace(path, "").replace(f.toString(), "");
        assertTrue(rest.length() <= MAX_MESSAGE, rest.length() + " chars: " + where);
        assertTrue(!msg.contains("gave no message"), where);
    }

    // ---------------------------------------------------------------------------------------------
    // the mutations
    // ---------------------------------------------------------------------------------------------

    static byte[] patch(byte[] b, int pos, int width, long v) {
        byte[] c = b.clone();
        ByteBuffer bb = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 4) {
            bb.putInt(pos, (int) v);
        } else {
            bb.putLong(pos, v);
        }
        return c;
    }

    static void header(GgufLayout g, List<Mutation> ms) {
        byte[] b = g.bytes;
        byte[] magic = b.clone();
        magic[3] = 'G';
        ms.add(new Mutation("header", "magic", magic));
        for (long v : new long[] {0, 1, 2, 4, 0x30000000L, -1}) {
            ms.add(new Mutation("header", "version " + v, patch(b, 4, 4, v)));
        }
        long nt = g.tensors.size(), nk = g.kvs.size();
        for (long v : new long[] {nt - 1, nt + 1, 0, -1, 1L << 40, Long.MAX_VALUE}) {
            ms.add(new Mutation("header", "n_tensors " + v, patch(b, 8, 8, v)));
        }
        for (long v : new long[] {nk - 1, nk + 1, 0, -1, 1L << 40, Long.MAX_VALUE}) {
            ms.add(new Mutation("header", "n_kv " + v, patch(b, 16, 8, v)));
        }
    }

    static void keyValues(GgufLayout g, List<Mutation> ms) {
        byte[] b = g.bytes;
        for (Kv k : g.kvs) {
            long len = k.key().getBytes(StandardCharsets.UTF_8).length;
            for (long v : new long[] {0, len - 1, len + 1, 1L << 30, (1L << 30) + 1, 1L << 40, -1}) {
                ms.add(new Mutation("kv-key-len", k.key() + " " + v, patch(b, k.keyLenPos(), 8, v)));
            }
            for (int t = 0; t <= 13; t++) {
                if (t != k.type()) {
                    ms.add(new Mutation("kv-type", k.key() + " " + t, patch(b, k.typePos(), 4, t)));
                }
            }
            ms.add(new Mutation("kv-type", k.key() + " -1", patch(b, k.typePos(), 4, -1)));
            if (k.type() == 9) {
                for (int t = 0; t <= 13; t++) {
                    if (t != k.elementType()) {
                        ms.add(new Mutation("kv-array", k.key() + " element type " + t, patch(b, k.elementTypePos(), 4, t)));
                    }
                }
                for (long v : new long[] {0, k.count() - 1, k.count() + 1, 1L << 30, (1L << 30) + 1, 1L << 40, -1}) {
                    ms.add(new Mutation("kv-array", k.key() + " count " + v, patch(b, k.countPos(), 8, v)));
                }
            }
        }
        // a key twice, a key equal to another before a NUL, an empty key
        List<Entry> e = g.entries();
        e.add(new Entry("gpt2.block_count", GgufLayout.u32(2)));
        ms.add(new Mutation("kv-key", "duplicate gpt2.block_count", g.write(e, g.tensorList())));
        e = g.entries();
        e.add(new Entry("gpt2.block_count\0x", GgufLayout.u32(2)));
        ms.add(new Mutation("kv-key", "gpt2.block_count twice before a NUL", g.write(e, g.tensorList())));
        e = g.entries();
        e.add(0, new Entry("gpt2.block_count\0x", GgufLayout.u32(1)));
        ms.add(new Mutation("kv-key", "gpt2.block_count\\0x first", g.write(e, g.tensorList())));
        e = g.entries();
        e.add(new Entry("", GgufLayout.u32(1)));
        ms.add(new Mutation("kv-key", "empty key", g.write(e, g.tensorList())));
        // general.alignment
        for (byte[] v : List.of(GgufLayout.u32(0), GgufLayout.u32(3), GgufLayout.u32(48), GgufLayout.u64(32),
                GgufLayout.i32(32), GgufLayout.u32(1L << 31))) {
            e = g.entries();
            e.add(new Entry("general.alignment", v));
            ms.add(new Mutation("alignment", "value " + Arrays.toString(Arrays.copyOf(v, 8)), g.write(e, g.tensorList())));
        }
        for (int a : new int[] {1, 8, 16, 64, 256}) {
            e = g.entries();
            e.add(new Entry("general.alignment", GgufLayout.u32(a)));
            ms.add(new Mutation("alignment", a + " laid out", GgufLayout.write(e, g.tensorList(), a)));
            ms.add(new Mutation("alignment", a + " laid out at 32", GgufLayout.write(e, g.tensorList(), 32)));
        }
    }

    /** The file with {@code key} set to {@code raw}, or removed when null. */
    static byte[] withKey(GgufLayout g, String key, byte[] raw) {
        List<Entry> e = g.entries();
        boolean found = false;
        for (int i = 0; i < e.size(); i++) {
            if (new String(e.get(i).key(), StandardCharsets.UTF_8).equals(key)) {
                found = true;
                if (raw == null) {
                    e.remove(i);
                } else {
                    e.set(i, new Entry(key, raw));
                }
                break;
            }
        }
        if (!found && raw != null) {
            e.add(new Entry(key, raw));
        }
        return g.write(e, g.tensorList());
    }

    static void hyperParameters(GgufLayout g, List<Mutation> ms) {
        String[] keys = {"general.architecture", "gpt2.context_length", "gpt2.embedding_length", "gpt2.block_count",
                "gpt2.feed_forward_length", "gpt2.attention.head_count", "gpt2.attention.layer_norm_epsilon",
                "gpt2.vocab_size", "general.name", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id"};
        for (String k : keys) {
            ms.add(new Mutation("hparams", "no " + k, withKey(g, k, null)));
            for (byte[] v : List.of(GgufLayout.u32(0), GgufLayout.u32(1), GgufLayout.u32(2), GgufLayout.u32(3),
                    GgufLayout.u32(96), GgufLayout.u32(999), GgufLayout.u32(1000), GgufLayout.i32(-1), GgufLayout.u64(-1),
                    GgufLayout.u64(1L << 40), GgufLayout.f32(1e-5f), GgufLayout.str("gpt2".getBytes(StandardCharsets.UTF_8)))) {
                ms.add(new Mutation("hparams", k + " = " + Arrays.toString(v), withKey(g, k, v)));
            }
        }
        String eps = "gpt2.attention.layer_norm_epsilon";
        for (float v : new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0f, -0f, 1f, -1e-5f,
                Float.MIN_VALUE, 0.999f, 1e-12f}) {
            ms.add(new Mutation("hparams", eps + " = " + v, withKey(g, eps, GgufLayout.f32(v))));
        }
        ms.add(new Mutation("hparams", eps + " as f64", withKey(g, eps, GgufLayout.f64(1e-5))));
        for (String a : new String[] {"gpt3", "", "gpt2\0", "GPT2", "gpt2 ", "llama"}) {
            ms.add(new Mutation("hparams", "architecture " + a.replace("\0", "\\0"), withKey(g, "general.architecture",
                    GgufLayout.str(a.getBytes(StandardCharsets.UTF_8)))));
        }
        byte[] ctl = new byte[400];
        Arrays.fill(ctl, (byte) 0x1B);
        ms.add(new Mutation("hparams", "architecture of escapes", withKey(g, "general.architecture", GgufLayout.str(ctl))));
        ms.add(new Mutation("hparams", "name invalid UTF-8", withKey(g, "general.name", GgufLayout.str(new byte[] {(byte) 0xFF}))));
    }

    static void tokenizer(GgufLayout g, List<Mutation> ms) {
        String tk = "tokenizer.ggml.tokens", tt = "tokenizer.ggml.token_type", mk = "tokenizer.ggml.merges";
        int[] types = g.ints(tt);
        int n = types.length;
        for (int len : new int[] {0, 1, n - 1, n + 1, 2 * n}) {
            ms.add(new Mutation("tokenizer", tt + " of " + len, withKey(g, tt, GgufLayout.i32Array(5, Arrays.copyOf(types, len)))));
        }
        for (int v : new int[] {-1, 7, 0, 6, 3, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            for (int at : new int[] {0, 5, n - 1}) {
                int[] t = types.clone();
                t[at] = v;
                ms.add(new Mutation("tokenizer", tt + "[" + at + "] = " + v, withKey(g, tt, GgufLayout.i32Array(5, t))));
            }
        }
        ms.add(new Mutation("tokenizer", tt + " as u32", withKey(g, tt, GgufLayout.i32Array(4, types))));
        ms.add(new Mutation("tokenizer", "no " + tt, withKey(g, tt, null)));
        List<byte[]> toks = g.strings(tk);
        for (int len : new int[] {0, 1, n - 1, n + 1}) {
            List<byte[]> t = new ArrayList<>(toks.subList(0, Math.min(len, n)));
            while (t.size() < len) {
                t.add(("extra" + t.size()).getBytes(StandardCharsets.UTF_8));
            }
            ms.add(new Mutation("tokenizer", tk + " of " + len, withKey(g, tk, GgufLayout.strArray(t))));
        }
        byte[][] odd = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {'a', 0, (byte) 0xFF}, {(byte) 0xE2, (byte) 0x82},
                {0x1B, '[', '3', '1', 'm'}, {}, {'a', 0}};
        for (byte[] o : odd) {
            for (int at : new int[] {3, n - 1}) {
                List<byte[]> t = new ArrayList<>(toks);
                t.set(at, o);
                ms.add(new Mutation("tokenizer", tk + "[" + at + "] = " + Arrays.toString(o), withKey(g, tk, GgufLayout.strArray(t))));
            }
        }
        List<byte[]> dup = new ArrayList<>(toks);
        dup.set(500, toks.get(400));
        ms.add(new Mutation("tokenizer", "a token twice", withKey(g, tk, GgufLayout.strArray(dup))));
        byte[] longTok = new byte[100_000];
        Arrays.fill(longTok, (byte) 0x07);
        List<byte[]> lt = new ArrayList<>(toks);
        lt.set(0, longTok);
        ms.add(new Mutation("tokenizer", "a token of 100000 BELs", withKey(g, tk, GgufLayout.strArray(lt))));
        List<byte[]> merges = g.strings(mk);
        for (byte[] o : new byte[][] {{'a'}, {'a', ' ', 'b', ' ', 'c'}, {'z', 'z', 'z', ' ', 'q', 'q', 'q'}, {(byte) 0xFF, ' ', 'a'},
                {' ', 'a'}, {0x1B, ' ', 0x1B}, {}}) {
            List<byte[]> mm = new ArrayList<>(merges);
            mm.set(7, o);
            ms.add(new Mutation("tokenizer", mk + "[7] = " + Arrays.toString(o), withKey(g, mk, GgufLayout.strArray(mm))));
        }
        ms.add(new Mutation("tokenizer", "no " + mk, withKey(g, mk, null)));
        ms.add(new Mutation("tokenizer", "no " + tk, withKey(g, tk, null)));
        ms.add(new Mutation("tokenizer", tk + " as i32", withKey(g, tk, GgufLayout.i32Array(5, types))));
    }

    static void tensorInfos(GgufLayout g, List<Mutation> ms) {
        byte[] b = g.bytes;
        for (int i = 0; i < g.tensors.size(); i++) {
            Tensor t = g.tensors.get(i);
            String nm = t.name();
            for (long v : new long[] {0, 1, 2, 3, 4, 5, 0xFFFFFFFFL}) {
                if (v != t.dims().length) {
                    ms.add(new Mutation("tensor-ndims", nm + " " + v, patch(b, t.nDimsPos(), 4, v)));
                }
            }
            for (int d = 0; d < t.dims().length; d++) {
                long x = t.dims()[d];
                for (long v : new long[] {0, -1, x - 1, x + 1, x * 2, x / 2, 32, 1L << 40, Long.MAX_VALUE}) {
                    if (v != x) {
                        ms.add(new Mutation("tensor-dims", nm + " ne" + d + " " + v, patch(b, t.dimsPos() + 8 * d, 8, v)));
                    }
                }
            }
            // every type id for a few tensors, a sample for the others
            int[] typeIds = i < 3 || i == g.tensors.size() - 1 ? java.util.stream.IntStream.rangeClosed(-1, 44).toArray()
                    : new int[] {0, 1, 2, 3, 8, 24, 30, 43};
            for (int v : typeIds) {
                if (v != t.type()) {
                    ms.add(new Mutation("tensor-type", nm + " " + v, patch(b, t.typePos(), 4, v)));
                }
            }
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long off = bb.getLong(t.offsetPos());
            for (long v : new long[] {0, off + 1, off + 32, off - 32, 1L << 40, -1, -32}) {
                if (v != off) {
                    ms.add(new Mutation("tensor-offset", nm + " " + v, patch(b, t.offsetPos(), 8, v)));
                }
            }
            if (i > 0) {
                long prev = bb.getLong(g.tensors.get(i - 1).offsetPos());
                ms.add(new Mutation("tensor-offset", nm + " = the previous one's", patch(b, t.offsetPos(), 8, prev)));
            }
        }
        // all offsets zero
        byte[] z = b.clone();
        for (Tensor t : g.tensors) {
            z = patch(z, t.offsetPos(), 8, 0);
        }
        ms.add(new Mutation("tensor-offset", "all zero", z));
        // two tensors' offsets swapped
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long o1 = bb.getLong(g.tensors.get(1).offsetPos()), o2 = bb.getLong(g.tensors.get(2).offsetPos());
        ms.add(new Mutation("tensor-offset", "1 and 2 swapped",
                patch(patch(b, g.tensors.get(1).offsetPos(), 8, o2), g.tensors.get(2).offsetPos(), 8, o1)));
        // a tensor's name length
        for (Tensor t : List.of(g.tensors.get(0), g.tensors.get(g.tensors.size() - 1))) {
            long len = t.name().length();
            for (long v : new long[] {0, len - 1, len + 1, 64, 1L << 40, -1}) {
                ms.add(new Mutation("tensor-name", t.name() + " length " + v, patch(b, t.nameLenPos(), 8, v)));
            }
        }
    }

    static byte[] withTensors(GgufLayout g, UnaryOperator<List<Tensor>> edit) {
        return g.write(g.entries(), edit.apply(g.tensorList()));
    }

    static void tensorSet(GgufLayout g, List<Mutation> ms) {
        for (int i = 0; i < g.tensors.size(); i++) {
            final int k = i;
            Tensor t = g.tensors.get(i);
            ms.add(new Mutation("tensor-set", "no " + t.name(), withTensors(g, l -> {
                l.remove(k);
                return l;
            })));
            ms.add(new Mutation("tensor-set", t.name() + " twice", withTensors(g, l -> {
                l.add(t);
                return l;
            })));
            ms.add(new Mutation("tensor-set", t.name() + " renamed", withTensors(g, l -> {
                l.set(k, t.with(t.name() + "x", t.dims(), t.type(), t.data()));
                return l;
            })));
            if (t.dims().length == 2) {
                ms.add(new Mutation("tensor-shape", t.name() + " transposed", withTensors(g, l -> {
                    l.set(k, t.with(t.name(), new long[] {t.dims()[1], t.dims()[0]}, t.type(), t.data()));
                    return l;
                })));
                ms.add(new Mutation("tensor-shape", t.name() + " as 3-D", withTensors(g, l -> {
                    l.set(k, t.with(t.name(), new long[] {t.dims()[0], t.dims()[1], 1}, t.type(), t.data()));
                    return l;
                })));
                ms.add(new Mutation("tensor-shape", t.name() + " one row more", withTensors(g, l -> {
                    long[] d = {t.dims()[0], t.dims()[1] + 1};
                    l.set(k, t.with(t.name(), d, t.type(), Arrays.copyOf(t.data(), (int) GgufLayout.dataSize(t.type(), d))));
                    return l;
                })));
            } else {
                ms.add(new Mutation("tensor-shape", t.name() + " as [n, 1]", withTensors(g, l -> {
                    l.set(k, t.with(t.name(), new long[] {t.dims()[0], 1}, t.type(), t.data()));
                    return l;
                })));
                ms.add(new Mutation("tensor-shape", t.name() + " in f16", withTensors(g, l -> {
                    l.set(k, t.with(t.name(), t.dims(), 1, Arrays.copyOf(t.data(), t.data().length / 2)));
                    return l;
                })));
            }
        }
        // the blocks present disagree with block_count, an untied output, a tensor of another model
        ms.add(new Mutation("tensor-set", "block_count 1 with 2 blocks", withKey(g, "gpt2.block_count", GgufLayout.u32(1))));
        ms.add(new Mutation("tensor-set", "block_count 3 with 2 blocks", withKey(g, "gpt2.block_count", GgufLayout.u32(3))));
        Tensor te = g.tensor("token_embd.weight");
        ms.add(new Mutation("tensor-set", "an output.weight (untied)", withTensors(g, l -> {
            l.add(te.with("output.weight", te.dims(), te.type(), te.data()));
            return l;
        })));
        ms.add(new Mutation("tensor-set", "a blk.2 tensor", withTensors(g, l -> {
            Tensor n = g.tensor("blk.1.attn_norm.weight");
            l.add(n.with("blk.2.attn_norm.weight", n.dims(), n.type(), n.data()));
            return l;
        })));
        ms.add(new Mutation("tensor-set", "a blk.01 tensor", withTensors(g, l -> {
            Tensor n = g.tensor("blk.1.attn_norm.weight");
            l.add(n.with("blk.01.attn_norm.weight", n.dims(), n.type(), n.data()));
            return l;
        })));
        ms.add(new Mutation("tensor-set", "a rope_freqs tensor", withTensors(g, l -> {
            Tensor n = g.tensor("output_norm.bias");
            l.add(n.with("rope_freqs.weight", n.dims(), n.type(), n.data()));
            return l;
        })));
        ms.add(new Mutation("tensor-set", "tensor infos reversed (valid)", withTensors(g, l -> {
            java.util.Collections.reverse(l);
            return l;
        })));
        ms.add(new Mutation("tensor-set", "no tensors", withTensors(g, l -> new ArrayList<>())));
        // a tensor claiming 2^40 elements: refused before anything of that size is allocated
        ms.add(new Mutation("resource", "token_embd.weight of 2^40 elements", withTensors(g, l -> {
            l.set(0, te.with(te.name(), new long[] {1L << 20, 1L << 20}, 0, te.data()));
            return l;
        })));
        ms.add(new Mutation("resource", "an array of 2^40 i32", patch(g.bytes, g.kv("tokenizer.ggml.token_type").countPos(), 8, 1L << 40)));
        ms.add(new Mutation("resource", "a string of 2^40 bytes", patch(g.bytes, g.kvs.get(0).keyLenPos(), 8, 1L << 40)));
    }

    static void truncations(GgufLayout g, List<Mutation> ms) {
        for (int at : g.boundaries) {
            for (int d : new int[] {-1, 0, 1}) {
                int n = at + d;
                if (n >= 0 && n < g.bytes.length) {
                    ms.add(new Mutation("truncate", "at " + n, Arrays.copyOf(g.bytes, n)));
                }
            }
        }
        ms.add(new Mutation("truncate", "last byte", Arrays.copyOf(g.bytes, g.bytes.length - 1)));
        byte[] longer = Arrays.copyOf(g.bytes, g.bytes.length + 1000);
        ms.add(new Mutation("truncate", "1000 bytes appended (valid)", longer));
    }

    static void flips(GgufLayout g, List<Mutation> ms) {
        Random r = new Random(20261204L);
        int meta = g.dataStart;
        for (int k = 0; k < 600; k++) {
            byte[] b = g.bytes.clone();
            int flips = 1 + (k % 4);
            StringBuilder what = new StringBuilder();
            for (int f = 0; f < flips; f++) {
                int pos = r.nextInt(meta);
                b[pos] ^= (byte) (1 << r.nextInt(8));
                what.append(pos).append(' ');
            }
            ms.add(new Mutation("flip", what.toString().trim(), b));
        }
        for (int k = 0; k < 100; k++) {
            byte[] b = g.bytes.clone();
            int pos = r.nextInt(meta);
            b[pos] = (byte) r.nextInt(256);
            ms.add(new Mutation("flip-byte", "at " + pos, b));
        }
    }
}
