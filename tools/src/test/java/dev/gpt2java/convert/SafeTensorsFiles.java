package dev.gpt2java.convert;

import dev.gpt2java.testsupport.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes .safetensors files in tests, to make broken ones. */
final class SafeTensorsFiles {

    record Entry(String dtype, long[] shape, byte[] data) {
    }

    private SafeTensorsFiles() {
    }

    @SuppressWarnings("unchecked")
    static LinkedHashMap<String, Entry> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Map<String, Object> header = (Map<String, Object>) Json.parse(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        LinkedHashMap<String, Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            List<Object> shape = (List<Object>) m.get("shape");
            List<Object> off = (List<Object>) m.get("data_offsets");
            int begin = ((Number) off.get(0)).intValue();
            int end = ((Number) off.get(1)).intValue();
            out.put(e.getKey(), new Entry((String) m.get("dtype"), shape.stream().mapToLong(o -> ((Number) o).longValue()).toArray(),
                    Arrays.copyOfRange(all, (int) (8 + n + begin), (int) (8 + n + end))));
        }
        return out;
    }

    /** A well-formed file of {@code tensors}, in order, data contiguous. */
    static void write(Path file, Map<String, Entry> tensors) throws IOException {
        StringBuilder h = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            Entry t = e.getValue();
            h.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"").append(t.dtype()).append("\",\"shape\":")
                    .append(Arrays.toString(t.shape()).replace(" ", "")).append(",\"data_offsets\":[").append(offset)
                    .append(',').append(offset + t.data().length).append("]}");
            offset += t.data().length;
        }
        h.append('}');
        byte[] data = new byte[(int) offset];
        int at = 0;
        for (Entry t : tensors.values()) {
            System.arraycopy(t.data(), 0, data, at, t.data().length);
            at += t.data().length;
        }
        writeRaw(file, h.toString(), data);
    }

    /** A file with this header text and data, whatever they say. */
    static void writeRaw(Path file, String header, byte[] data) throws IOException {
        byte[] hb = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(hb.length).put(hb).put(data);
        Files.write(file, b.array());
    }
}
