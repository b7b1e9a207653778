package dev.gpt2java.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.gguf.GgufWriter;
import dev.gpt2java.testsupport.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The general.* keys equal those gguf-py derives (Metadata.load and the converter's fallbacks; recorded
 * by fixtures/make_convert_fixtures.py in fixtures/convert/reference/general-metadata.json) for folder
 * names with sizes, versions, quantization and fine-tune words, config.json's _name_or_path, model
 * cards with lists, quotes, comments, URLs and nested keys, and generation configs with every sampling
 * setting.
 */
class GeneralMetadataTest {

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    @Test
    void generalKeysEqualGgufPys() throws IOException {
        List<Object> cases = (List<Object>) Json.parse(Files.readString(ConvertFixtures.reference("general-metadata.json")));
        int k = 0;
        for (Object o : cases) {
            Map<String, Object> c = (Map<String, Object>) o;
            String folder = (String) c.get("folder");
            Map<String, Object> config = dev.gpt2java.internal.Json.parseObject(toJson(c.get("config")));
            Map<String, Object> gen = c.get("generation_config") == null ? Map.of()
                    : dev.gpt2java.internal.Json.parseObject(toJson(c.get("generation_config")));
            ModelCard card = c.get("readme") == null ? ModelCard.EMPTY : ModelCard.parse((String) c.get("readme"));
            long total = ((Number) c.get("total_params")).longValue();
            GeneralMetadata m = GeneralMetadata.derive(folder, config, card, gen, total);
            GgufWriter w = new GgufWriter().putString("general.architecture", "gpt2");
            m.write(w);
            Path f = tmp.resolve(k++ + ".gguf");
            w.write(f);
            List<GgufStructure.Kv> want = GgufStructure.fromJson(Map.of("metadata", c.get("metadata"), "tensors", List.of(),
                    "file_sha256", "", "file_size", 0)).metadata();
            assertEquals(want, GgufStructure.read(f).metadata(), "folder " + folder);
        }
        assertTrue(k >= 18, "cases: " + k);
    }

    @Test
    void aBlockScalarOrNestedValueIsSkippedNotGuessed() {
        ModelCard card = ModelCard.parse("---\nlicense: mit\ndescription: |\n  two\n  lines\nmodel-index:\n- name: x\n  results: []\n"
                + "tags:\n- a # comment\n- 'b'\n---\nbody\n");
        assertEquals(Map.of("license", "mit", "tags", List.of("a", "b")), card.values());
        assertEquals(List.of("description", "model-index"), card.skipped());
    }

    @Test
    void roundedCountsAreGgufPys() {
        // gguf-py's model_weight_count_rounded_notation: at least two significant digits, ties to even
        assertEquals("124M", GeneralMetadata.roundedCount(124_439_808));
        assertEquals("1.6B", GeneralMetadata.roundedCount(1_557_611_200));
        assertEquals("82M", GeneralMetadata.roundedCount(81_912_576));
        assertEquals("0.50K", GeneralMetadata.roundedCount(500));
        assertEquals("47K", GeneralMetadata.roundedCount(47_232));
        assertEquals("2.5K", GeneralMetadata.roundedCount(2_500));
    }

    private static String toJson(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(sb.length() > 1 ? "," : "").append(toJson(e.getKey())).append(':').append(toJson(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (Object x : l) {
                sb.append(sb.length() > 1 ? "," : "").append(toJson(x));
            }
            return sb.append(']').toString();
        }
        if (v instanceof String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            // the test reader gives every number as a double; config values that were integers stay integers
            return String.valueOf(d.longValue());
        }
        return String.valueOf(v);
    }
}
