package dev.gpt2java.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.TensorType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folders and files that cannot be converted are refused with a {@link ConversionException} that names
 * the file and says what is wrong (and what is supported), never another exception and never a partial
 * output file. The broken folders are copies of fixtures/convert/hf/gpt2-untied-ft (F32, one layer,
 * vocab.json + merges.txt) with one thing changed.
 */
class ConversionErrorsTest {

    static final String BASE = "gpt2-untied-ft";

    @TempDir
    Path tmp;

    private Path folder() throws IOException {
        return ConvertFixtures.copy(BASE, tmp.resolve(BASE));
    }

    private Path out() {
        return tmp.resolve("out.gguf");
    }

    /** Converting {@code dir} fails with a message holding every one of {@code expected}; no output is left. */
    private ConversionException refused(Path dir, String... expected) {
        ConversionException e = assertThrows(ConversionException.class,
                () -> HuggingFaceConverter.convert(HuggingFaceConverter.Params.of(dir, out()).withType(TensorType.F32)));
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
        assertFalse(Files.exists(out()), "an output file was left");
        return e;
    }

    private static void editConfig(Path dir, String from, String to) throws IOException {
        Path c = dir.resolve("config.json");
        String s = Files.readString(c);
        assertTrue(s.contains(from), from + " not in config.json");
        Files.writeString(c, s.replace(from, to));
    }

    /** Rewrites the folder's model.safetensors after {@code edit} has changed its tensors. */
    private static void editTensors(Path dir, Consumer<LinkedHashMap<String, SafeTensorsFiles.Entry>> edit)
            throws IOException {
        Path st = dir.resolve("model.safetensors");
        LinkedHashMap<String, SafeTensorsFiles.Entry> t = SafeTensorsFiles.read(st);
        edit.accept(t);
        SafeTensorsFiles.write(st, t);
    }

    // ---- missing files

    @Test
    void aMissingFolderIsNamed() {
        refused(tmp.resolve("nowhere"), "nowhere", "no such folder");
    }

    @Test
    void aFileIsNotAFolder() throws IOException {
        Path f = Files.writeString(tmp.resolve("model.gguf"), "x");
        refused(f, "not a folder");
    }

    /** A folder without one of the files the converter needs: the message names it and what else is needed. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "config.json; no config.json|model.safetensors",
        "model.safetensors; no model.safetensors",
        "vocab.json; no vocab.json|merges.txt",
        "merges.txt; no merges.txt"})
    void aMissingFileIsNamedWithWhatIsNeeded(String file, String expected) throws IOException {
        Path d = folder();
        Files.delete(d.resolve(file));
        refused(d, expected.split("\\|"));
    }

    @Test
    void aPickleOnlyFolderSaysHowToGetSafetensors() throws IOException {
        Path d = folder();
        Files.delete(d.resolve("model.safetensors"));
        Files.write(d.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2, 'c', 'o', 's', '\n'});
        ConversionException e = refused(d, "pytorch_model.bin", "pickle", "model.safetensors", "save_pretrained");
        assertTrue(e.getMessage().contains("gpt2-xl"), e.getMessage());
    }

    @Test
    void aShardNamedByTheIndexButMissingIsNamed() throws IOException {
        Path d = ConvertFixtures.copy("gpt2-xl", tmp.resolve("gpt2-xl"));
        Files.delete(d.resolve("model-00002-of-00002.safetensors"));
        refused(d, "model.safetensors.index.json", "model-00002-of-00002.safetensors", "incomplete");
    }

    // ---- not a GPT-2

    /** A config.json with one value changed ({@code from} to {@code to}) is refused with a message holding every {@code expected}. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "another model type is refused with what is supported; \"model_type\": \"gpt2\"; \"model_type\": \"llama\";"
            + " config.json|model_type is \"llama\"|GPT2LMHeadModel|gpt2-medium|distilgpt2",
        "another architecture is refused; \"GPT2LMHeadModel\"; \"GPT2ForSequenceClassification\";"
            + " architectures is [GPT2ForSequenceClassification]|GPT2LMHeadModel",
        "another activation is refused; \"gelu_new\"; \"relu\"; activation_function is \"relu\"|gelu_new",
        "shapes that disagree with the config are named; \"n_positions\": 32; \"n_positions\": 40;"
            + " wpe.weight|[32, 32]|[40, 32]",
        "a tied config with a different lm_head is refused; \"tie_word_embeddings\": false; \"tie_word_embeddings\": true;"
            + " lm_head.weight differs from wte.weight|tie_word_embeddings"})
    void aConfigValueThatCannotBeConvertedIsRefused(String what, String from, String to, String expected) throws IOException {
        Path d = folder();
        editConfig(d, from, to);
        refused(d, expected.split("\\|"));
    }

    @Test
    void aConfigThatIsNotJsonIsNamed() throws IOException {
        Path d = folder();
        Files.writeString(d.resolve("config.json"), "{\"model_type\": \"gpt2\",}");
        refused(d, "config.json", "not a valid JSON object", "line 1");
    }

    /** A checkpoint without one of its tensors is refused, the missing one named (by its GGUF name, or lm_head's). */
    @ParameterizedTest(name = "without {0}")
    @CsvSource(delimiter = ';', value = {
        "transformer.h.0.mlp.c_fc.bias; lacks 1 tensor|blk.0.ffn_up.bias",
        "lm_head.weight; tie_word_embeddings = false|no lm_head.weight"})
    void aMissingTensorIsNamed(String tensor, String expected) throws IOException {
        Path d = folder();
        editTensors(d, t -> t.remove(tensor));
        refused(d, expected.split("\\|"));
    }

    @Test
    void anUnexpectedTensorIsNamed() throws IOException {
        Path d = folder();
        editTensors(d, t -> t.put("transformer.h.0.attn.q_proj.weight",
                new SafeTensorsFiles.Entry("F32", new long[] {2}, new byte[8])));
        refused(d, "unexpected tensor transformer.h.0.attn.q_proj.weight", "GPT2LMHeadModel");
    }

    // ---- bad safetensors

    @Test
    void aTruncatedSafetensorsFileIsRefused() throws IOException {
        Path d = folder();
        Path st = d.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(st);
        Files.write(st, Arrays.copyOf(all, all.length * 3 / 5));
        refused(d, "model.safetensors", "out of range", "truncated");
    }

    @Test
    void everyTruncationIsRefusedCleanly() throws IOException {
        Path d = folder();
        Path st = d.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(st);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // every length through the header, then 64 points through the data
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
        for (int k = 0; k <= 8 + n; k++) {
            cuts.add(k);
        }
        for (int k = 0; k < 64; k++) {
            cuts.add((int) (8 + n + (all.length - 8 - n) * k / 64));
        }
        cuts.remove(all.length);
        for (int cut : cuts) {
            Files.write(st, Arrays.copyOf(all, cut));
            ConversionException e = assertThrows(ConversionException.class,
                    () -> HuggingFaceConverter.convert(HuggingFaceConverter.Params.of(d, out()).withType(TensorType.F32)),
                    "cut at " + cut);
            assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        }
        assertFalse(Files.exists(out()));
        System.out.println("safetensors truncations refused: " + cuts.size());
    }

    @Test
    void aHeaderLongerThanTheFileIsRefused() throws IOException {
        Path d = folder();
        Path st = d.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(st);
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putLong(0, all.length);
        Files.write(st, all);
        refused(d, "header claims", "truncated");
    }

    @Test
    void aHeaderThatIsNotJsonIsRefused() throws IOException {
        Path d = folder();
        SafeTensorsFiles.writeRaw(d.resolve("model.safetensors"), "{\"wte.weight\": {\"dtype\": \"F32\",", new byte[16]);
        refused(d, "model.safetensors", "not valid JSON");
    }

    @Test
    void offsetsOutOfRangeAreRefused() throws IOException {
        Path d = folder();
        SafeTensorsFiles.writeRaw(d.resolve("model.safetensors"),
                "{\"transformer.wte.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[8,24]}}", new byte[16]);
        refused(d, "transformer.wte.weight", "data_offsets [8, 24] out of range", "16 bytes");
    }

    @Test
    void offsetsThatDisagreeWithTheShapeAreRefused() throws IOException {
        Path d = folder();
        SafeTensorsFiles.writeRaw(d.resolve("model.safetensors"),
                "{\"transformer.wte.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", new byte[16]);
        refused(d, "hold 16 bytes", "needs 24");
    }

    @Test
    void overlappingTensorsAreRefused() throws IOException {
        Path d = folder();
        SafeTensorsFiles.writeRaw(d.resolve("model.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[16]);
        refused(d, "overlap");
    }

    @Test
    void anUnsupportedDtypeIsNamed() throws IOException {
        Path d = folder();
        editTensors(d, t -> {
            SafeTensorsFiles.Entry ln = t.get("transformer.ln_f.weight");
            t.put("transformer.ln_f.weight", new SafeTensorsFiles.Entry("F64", ln.shape(), new byte[ln.data().length * 2]));
        });
        refused(d, "transformer.ln_f.weight", "dtype F64", "not supported", "F32, F16 and BF16");
    }

    @Test
    void anUnknownDtypeIsNamed() throws IOException {
        Path d = folder();
        SafeTensorsFiles.writeRaw(d.resolve("model.safetensors"),
                "{\"transformer.wte.weight\":{\"dtype\":\"Q4X\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);
        refused(d, "unknown dtype Q4X");
    }

    @Test
    void quantizedTypesNeedRowsOfBlocks() throws IOException {
        // checked from config.json, before any weight is read
        Path d = folder();
        editConfig(d, "\"n_embd\": 32", "\"n_embd\": 48");
        ConversionException e = assertThrows(ConversionException.class,
                () -> HuggingFaceConverter.convert(HuggingFaceConverter.Params.of(d, out()).withType(TensorType.Q8_0)));
        assertTrue(e.getMessage().contains("Q8_0 needs rows that are multiples of 32 values, but n_embd is 48"), e.getMessage());
        assertFalse(Files.exists(out()));
    }

    @Test
    void theParamsRecordRefusesOtherTypes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HuggingFaceConverter.Params.of(tmp, out()).withType(TensorType.Q5_1));
        assertTrue(e.getMessage().contains("F32, F16, Q8_0, Q4_0"), e.getMessage());
        assertEquals("threads must be in 0..512, was -1",
                assertThrows(IllegalArgumentException.class, () -> HuggingFaceConverter.Params.of(tmp, out()).withThreads(-1)).getMessage());
    }
}
