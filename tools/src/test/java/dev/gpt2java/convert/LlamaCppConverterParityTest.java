package dev.gpt2java.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpt2java.TensorType;
import dev.gpt2java.testsupport.TestSupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our converter writes what llama.cpp's writes. For each HF folder of fixtures/convert/hf/ and each type,
 * the GGUF we write has the same metadata keys, in the same order, with the same GGUF types and values,
 * and the same tensors in the same order with the same types, shapes and bytes (sha256), as the file
 * llama.cpp made from the same folder (fixtures/convert/reference/, by fixtures/make_convert_fixtures.py
 * with the pinned tree's convert_hf_to_gguf.py; q4_0 by its llama_model_quantize --pure from the f32
 * file, since the converter has no q4_0). Equal bytes: the F32 and F16 values are bit-equal, and so are
 * ggml's Q8_0 / Q4_0 blocks. For f32, f16 and q8_0 the whole files are byte-identical; for q4_0,
 * llama-quantize orders two keys and the tensors its own way, so those are compared as sets (and our
 * order is checked to be the converter's).
 */
class LlamaCppConverterParityTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> familiesAndTypes() {
        return TestSupport.pairs(ConvertFixtures.FAMILIES, List.of("f32", "f16", "q8_0", "q4_0"));
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("familiesAndTypes")
    void sameKeysValuesTensorsAndBytesAsLlamaCpp(String family, String type) throws IOException {
        Map<String, Object> ref = (Map<String, Object>) ((Map<String, Object>) ConvertFixtures.referenceJson(family).get("gguf")).get(type);
        GgufStructure want = GgufStructure.fromJson(ref);
        Path out = tmp.resolve(family + "-" + type + ".gguf");
        HuggingFaceConverter.convert(HuggingFaceConverter.Params.of(ConvertFixtures.hf(family), out)
                .withType(TensorType.valueOf(type.toUpperCase())).withThreads(1));
        GgufStructure got = GgufStructure.read(out);

        if (type.equals("q4_0")) {
            // llama_model_quantize re-sets general.quantization_version and general.file_type, which moves
            // them to the end of its key list; gpt2_quantize keeps the converter's order. Same keys and values.
            assertEquals(asMap(want.metadata()), asMap(got.metadata()), family + " " + type + ": metadata (as a map)");
            assertEquals(keys(want.metadata()).stream().filter(k -> !k.equals("general.quantization_version")
                    && !k.equals("general.file_type")).toList(), keys(got.metadata()).stream()
                    .filter(k -> !k.equals("general.quantization_version") && !k.equals("general.file_type")).toList(),
                    family + " " + type + ": key order apart from the two keys llama-quantize moves");
            // llama_model_quantize also writes the tensors grouped by block (non-block ones first); ours keep
            // the converter's order, which is that of its f32 file. Same tensors, types, shapes and bytes.
            assertEquals(byName(want.tensors()), byName(got.tensors()), family + " " + type + ": tensors (by name)");
            GgufStructure f32 = GgufStructure.fromJson((Map<String, Object>) ((Map<String, Object>) ConvertFixtures
                    .referenceJson(family).get("gguf")).get("f32"));
            assertEquals(f32.tensors().stream().map(GgufStructure.TensorEntry::name).toList(),
                    got.tensors().stream().map(GgufStructure.TensorEntry::name).toList(), family + " q4_0: the converter's tensor order");
        } else {
            assertEquals(want.metadata(), got.metadata(), family + " " + type + ": metadata");
            assertEquals(want.tensors(), got.tensors(), family + " " + type + ": tensors");
        }
        System.out.printf("llama.cpp parity %-15s %-5s %2d keys, %3d tensors equal; whole file %s%n", family, type,
                got.metadata().size(), got.tensors().size(),
                want.fileSha256().equals(got.fileSha256()) ? "byte-identical" : "differs (" + got.fileSize() + " vs " + want.fileSize() + " bytes)");
        if (!type.equals("q4_0")) {
            assertEquals(want.fileSha256(), got.fileSha256(), family + " " + type + ": the whole file, byte for byte");
        }
    }

    private static Map<String, GgufStructure.Kv> asMap(List<GgufStructure.Kv> kvs) {
        Map<String, GgufStructure.Kv> m = new LinkedHashMap<>();
        for (GgufStructure.Kv kv : kvs) {
            m.put(kv.key(), kv);
        }
        return new java.util.TreeMap<>(m);
    }

    private static List<GgufStructure.TensorEntry> byName(List<GgufStructure.TensorEntry> ts) {
        return ts.stream().sorted(java.util.Comparator.comparing(GgufStructure.TensorEntry::name)).toList();
    }

    private static List<String> keys(List<GgufStructure.Kv> kvs) {
        return kvs.stream().map(GgufStructure.Kv::key).toList();
    }
}
