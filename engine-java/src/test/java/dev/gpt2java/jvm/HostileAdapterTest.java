package dev.gpt2java.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Backend;
import dev.gpt2java.Batch;
import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Exception;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.LoraAdapter;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.Status;
import dev.gpt2java.gguf.GgufWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Hostile LoRA adapter files: the committed adapter (fixtures/tiny-odd-heads/lora/adapter.gguf) truncated at
 * every field boundary, with random bit flips in its header, and rewritten with each rule of an adapter broken
 * once (gpt2.h, "LoRA adapters"), each loaded by both engines for the fixture model. One set of rules decides
 * (libgpt2's adapter.cpp and the Java engine's LoraGguf): the engines agree on every file, a refusal is a
 * {@link Gpt2Exception} of status FORMAT whose message names the file and is one bounded printable line, and an
 * adapter that loads is applied and evaluated without harm (its values are data: they may make the logits
 * anything, but nothing crashes).
 */
class HostileAdapterTest {

    static final int MAX_MESSAGE = 300;

    enum Outcome { LOADS, FORMAT }

    record Mutation(String kind, String what, byte[] file) {
    }

    @Test
    void bothEnginesAgreeOnEveryHostileAdapterAndRefuseItInOneLineNamingTheFile() throws IOException {
        byte[] valid = Files.readAllBytes(Fixtures.file("tiny-odd-heads", "lora/adapter.gguf"));
        GgufLayout g = new GgufLayout(valid);
        List<Mutation> ms = new ArrayList<>();
        for (int at : g.boundaries) {
            for (int d : new int[] {-1, 0, 1}) {
                if (at + d >= 0 && at + d < valid.length) {
                    ms.add(new Mutation("truncate", "at " + (at + d), Arrays.copyOf(valid, at + d)));
                }
            }
        }
        Random r = new Random(20261204L);
        for (int k = 0; k < 400; k++) {
            byte[] b = valid.clone();
            StringBuilder what = new StringBuilder();
            for (int f = 0; f <= k % 3; f++) {
                int pos = r.nextInt(g.dataStart);
                b[pos] ^= (byte) (1 << r.nextInt(8));
                what.append(pos).append(' ');
            }
            ms.add(new Mutation("flip", what.toString().trim(), b));
        }
        rules(ms);

        Path dir = Fixtures.tmpDir().resolve("hostile-adapters");
        Files.createDirectories(dir);
        Map<String, int[]> tally = new LinkedHashMap<>();   // kind -> tried, loaded, agreed
        List<String> disagreements = new ArrayList<>();
        try (Gpt2Model nat = Gpt2Model.load(Fixtures.file("tiny-odd-heads", "model-f32.gguf"),
                ModelParams.defaults().withBackend(Backend.CPU).withThreads(1));
             Gpt2Model jvm = Gpt2Model.load(Fixtures.file("tiny-odd-heads", "model-f32.gguf"),
                     ModelParams.defaults().withEngine(Engine.JAVA).withThreads(1))) {
            assertEquals(Outcome.LOADS, outcome(nat, write(dir, "valid", valid), null));
            int i = 0;
            for (Mutation m : ms) {
                Path f = write(dir, String.format("%04d-%s", i++, m.kind), m.file);
                Outcome n = outcome(nat, f, m), j = outcome(jvm, f, m);
                Files.delete(f);
                int[] t = tally.computeIfAbsent(m.kind, k -> new int[3]);
                t[0]++;
                t[1] += n == Outcome.LOADS ? 1 : 0;
                if (n == j) {
                    t[2]++;
                } else {
                    disagreements.add(m.kind + " " + m.what + ": native " + n + ", Java " + j);
                }
            }
        }
        tally.forEach((k, t) -> System.out.printf("hostile adapters %-10s tried %4d, loaded %4d, engines agree %4d%n", k,
                t[0], t[1], t[2]));
        assertTrue(disagreements.isEmpty(), disagreements.size() + " disagreements:\n"
                + String.join("\n", disagreements.subList(0, Math.min(30, disagreements.size()))));
        assertTrue(tally.get("rule")[1] == 0, "every broken rule is refused");
    }

    /** The valid adapter's content with one rule broken per file. */
    static void rules(List<Mutation> ms) throws IOException {
        int e = 96, f = 384, r = 2;
        record Case(String what, String arch, String type, String adapterType, Object alpha, String[] names, long[][] shapes) {
        }
        String a = "blk.0.attn_qkv.weight.lora_a", b = "blk.0.attn_qkv.weight.lora_b";
        long[] aShape = {e, r}, bShape = {r, 3 * e};
        List<Case> cases = List.of(
                new Case("a model's general.type", "gpt2", "model", "lora", 4f, new String[] {a, b}, new long[][] {aShape, bShape}),
                new Case("another adapter.type", "gpt2", "adapter", "control_vector", 4f, new String[] {a, b},
                        new long[][] {aShape, bShape}),
                new Case("another architecture", "llama", "adapter", "lora", 4f, new String[] {a, b}, new long[][] {aShape, bShape}),
                new Case("alpha as a string", "gpt2", "adapter", "lora", "4", new String[] {a, b}, new long[][] {aShape, bShape}),
                new Case("a negative alpha", "gpt2", "adapter", "lora", -1f, new String[] {a, b}, new long[][] {aShape, bShape}),
                new Case("an infinite alpha", "gpt2", "adapter", "lora", Float.POSITIVE_INFINITY, new String[] {a, b},
                        new long[][] {aShape, bShape}),
                new Case("no tensors", "gpt2", "adapter", "lora", 4f, new String[0], new long[0][]),
                new Case("A without B", "gpt2", "adapter", "lora", 4f, new String[] {a}, new long[][] {aShape}),
                new Case("B without A", "gpt2", "adapter", "lora", 4f, new String[] {b}, new long[][] {bShape}),
                new Case("ranks that differ", "gpt2", "adapter", "lora", 4f, new String[] {a, b},
                        new long[][] {aShape, {r + 1, 3 * e}}),
                new Case("A of the wrong width", "gpt2", "adapter", "lora", 4f, new String[] {a, b},
                        new long[][] {{e + 32, r}, bShape}),
                new Case("B of the wrong height", "gpt2", "adapter", "lora", 4f, new String[] {a, b}, new long[][] {aShape, {r, e}}),
                new Case("a rank above the matrix", "gpt2", "adapter", "lora", 4f, new String[] {a, b},
                        new long[][] {{e, e + 1}, {e + 1, 3 * e}}),
                new Case("a third dimension", "gpt2", "adapter", "lora", 4f, new String[] {a, b},
                        new long[][] {{e, r, 2}, {r, 3 * e}}),
                new Case("a block the model lacks", "gpt2", "adapter", "lora", 4f,
                        new String[] {"blk.2.attn_qkv.weight.lora_a", "blk.2.attn_qkv.weight.lora_b"}, new long[][] {aShape, bShape}),
                new Case("the embeddings adapted", "gpt2", "adapter", "lora", 4f,
                        new String[] {"token_embd.weight.lora_a", "token_embd.weight.lora_b"}, new long[][] {{e, r}, {r, 1000}}),
                new Case("a tensor that is no pair", "gpt2", "adapter", "lora", 4f, new String[] {a, b, "blk.0.attn_qkv.weight"},
                        new long[][] {aShape, bShape, {e, 3 * e}}),
                new Case("the norm adapted", "gpt2", "adapter", "lora", 4f,
                        new String[] {"blk.0.attn_norm.weight.lora_a", "blk.0.attn_norm.weight.lora_b"},
                        new long[][] {{e, r}, {r, 1}}),
                new Case("ffn_down of ffn_up's shape", "gpt2", "adapter", "lora", 4f,
                        new String[] {"blk.1.ffn_down.weight.lora_a", "blk.1.ffn_down.weight.lora_b"},
                        new long[][] {{e, r}, {r, f}}));
        for (Case c : cases) {
            GgufWriter w = new GgufWriter().putString("general.architecture", c.arch).putString("general.type", c.type)
                    .putString("adapter.type", c.adapterType);
            if (c.alpha instanceof Float x) {
                w.putF32("adapter.lora.alpha", x);
            } else {
                w.putString("adapter.lora.alpha", (String) c.alpha);
            }
            for (int i = 0; i < c.names.length; i++) {
                long n = 1;
                for (long d : c.shapes[i]) {
                    n *= d;
                }
                w.addF32(c.names[i], c.shapes[i], new float[(int) n]);
            }
            Path tmp = Files.createTempFile(Fixtures.tmpDir(), "rule", ".gguf");
            w.write(tmp);
            ms.add(new Mutation("rule", c.what, Files.readAllBytes(tmp)));
            Files.delete(tmp);
        }
    }

    static Path write(Path dir, String name, byte[] b) throws IOException {
        Path p = dir.resolve(name + ".gguf");
        Files.write(p, b);
        return p;
    }

    static Outcome outcome(Gpt2Model model, Path f, Mutation m) {
        String where = (m == null ? "valid" : m.kind + " " + m.what) + " on " + model.params().engine();
        try (LoraAdapter a = model.loadAdapter(f); Session s = model.newSession(SessionParams.defaults().withNCells(16))) {
            s.setAdapter(a, 1f);
            s.eval(Batch.of(0, 5, 17, 250));
            return Outcome.LOADS;
        } catch (Gpt2Exception e) {
            String msg = e.getMessage();
            assertEquals(Status.FORMAT, e.status(), where + ": " + msg);
            assertTrue(msg.contains(f.toString()), where + ": " + msg);
            assertTrue(msg.chars().noneMatch(c -> c < 0x20 || (c >= 0x7F && c <= 0x9F)), where + ": " + msg);
            assertTrue(msg.replace(f.toString(), "").length() <= MAX_MESSAGE, where + ": " + msg);
            return Outcome.FORMAT;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(where + ": threw " + e, e);
        }
    }
}
