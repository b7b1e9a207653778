package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@code gpt2 bench} reports pp and tg for each thread count, as a table or JSON lines, with
 * min <= median <= max. (What it measures is not asserted: speed belongs to benchmarks.)
 */
class BenchCommandTest {

    static final Pattern ROW = Pattern.compile(
            "\\| model-f32\\.gguf \\| F32 \\| CPU \\| (\\d+) \\| (pp 8|tg 4) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\|");

    @Test
    void tablesPpAndTgForEachThreadCountWithMinMedianMax() {
        Cli.Result r = Cli.run("bench", "-m", Cli.model(), "--backend", "cpu", "-p", "8", "-n", "4", "-r", "3",
                "--thread-counts", "1,2", "--warmup-time", "0");
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.startsWith("| model-f32")).toList();
        assertEquals(4, rows.size(), r.out());
        for (String row : rows) {
            Matcher m = ROW.matcher(row);
            assertTrue(m.matches(), row);
            double median = Double.parseDouble(m.group(3)), min = Double.parseDouble(m.group(4)),
                    max = Double.parseDouble(m.group(5));
            assertTrue(min > 0 && min <= median && median <= max, row);
        }
    }

    @Test
    void jsonLinesCarryTheSameFields() {
        Cli.Result r = Cli.run("bench", "-m", Cli.model(), "--backend", "cpu", "-p", "8", "-n", "4", "-r", "2", "--json");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(0).matches("\\{\"model\":\"model-f32\\.gguf\",\"weights\":\"F32\",\"backend\":\"CPU\","
                + "\"threads\":0,\"test\":\"pp 8\",\"tokens_per_s_median\":[\\d.]+,\"min\":[\\d.]+,\"max\":[\\d.]+,"
                + "\"repetitions\":2,\"matmul\":\"ggml\"}"), lines.get(0));
        assertTrue(lines.get(1).contains("\"test\":\"tg 4\""), lines.get(1));
    }

    @Test
    void beamsAddABatchedStepRowForEachThreadCountOnBothEngines() {
        for (String engine : new String[] {"native", "java"}) {
            Cli.Result r = Cli.run("bench", "-m", Cli.model(), "--engine", engine, "-p", "8", "-n", "4", "-r", "2",
                    "--beams", "3", "--thread-counts", "1,2", "--warmup-time", "0", "--json");
            assertEquals(0, r.code(), r.err());
            List<String> beams = r.out().lines().filter(l -> l.contains("\"test\":\"tg 4 x3\"")).toList();
            assertEquals(2, beams.size(), r.out());
            assertTrue(beams.get(0).contains("\"threads\":1") && beams.get(1).contains("\"threads\":2"), r.out());
            assertEquals(6, r.out().lines().count(), r.out());
        }
    }

    @Test
    void badCountsAreUsageErrors() {
        assertEquals(2, Cli.run("bench", "-m", Cli.model(), "-r", "0").code());
        assertEquals(2, Cli.run("bench", "-m", Cli.model(), "-p", "0", "-n", "0").code());
        assertEquals(2, Cli.run("bench", "-m", Cli.model(), "-p", "4096").code());
        assertEquals(2, Cli.run("bench", "-m", Cli.model(), "--beams", "0").code());
        assertEquals(2, Cli.run("bench", "-m", Cli.model(), "--warmup-time", "-1").code());
        assertEquals(2, Cli.run("bench", "-m", Cli.model(), "--beams", "2", "-n", "0").code());
    }
}
