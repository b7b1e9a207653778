package dev.gpt2java.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the OS says about the CPU (Linux: /proc/cpuinfo); ggml's CPU kernels depend on these features. */
final class CpuInfo {

    /** x86 flags and arm features ggml has kernels for, in the order shown. */
    private static final List<String> INTERESTING = List.of(
            "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "f16c", "fma", "bmi2",
            "avx512f", "avx512bw", "avx512vl", "avx512_vbmi", "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile",
            "asimd", "asimdhp", "asimddp", "fphp", "sve", "sve2", "i8mm");

    private CpuInfo() {
    }

    private static List<String> lines() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The first "model name" (x86) or "CPU part"/"Hardware" line, else os.arch. */
    static String model() {
        for (String l : lines()) {
            String k = key(l);
            if (k.equals("model name") || k.equals("Hardware")) {
                return value(l);
            }
        }
        return System.getProperty("os.arch") + " (no model name in /proc/cpuinfo)";
    }

    /** The features of {@link #INTERESTING} the CPU has, then those it lacks, from the first flags line. */
    static String features() {
        Set<String> flags = null;
        for (String l : lines()) {
            String k = key(l);
            if (k.equals("flags") || k.equals("Features")) {
                flags = new HashSet<>(Arrays.asList(value(l).split("\\s+")));
                break;
            }
        }
        if (flags == null) {
            return "unknown (no /proc/cpuinfo flags on " + System.getProperty("os.name") + ")";
        }
        boolean x86 = flags.contains("sse2");
        List<String> have = new ArrayList<>();
        List<String> lack = new ArrayList<>();
        for (String f : INTERESTING) {
            boolean armFlag = f.startsWith("asimd") || f.equals("fphp") || f.startsWith("sve") || f.equals("i8mm");
            if (x86 == armFlag) {
                continue;
            }
            (flags.contains(f) ? have : lack).add(f);
        }
        return String.join(" ", have) + (lack.isEmpty() ? "" : " (not: " + String.join(" ", lack) + ")");
    }

    private static String key(String line) {
        int c = line.indexOf(':');
        return c < 0 ? "" : line.substring(0, c).strip();
    }

    private static String value(String line) {
        int c = line.indexOf(':');
        return c < 0 ? "" : line.substring(c + 1).strip();
    }
}
