package dev.gpt2java.testsupport;

import dev.gpt2java.internal.NativeCache;
import dev.gpt2java.internal.NativeLibrary;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Where tests find fixtures and write files, and the figures they compare with. */
public final class TestSupport {

    private TestSupport() {
    }

    /** The committed fixtures ({@code -Dgpt2.fixtures.dir}, else {@code ../fixtures}); missing = failure. */
    public static Path fixturesDir() {
        Path d = Path.of(System.getProperty("gpt2.fixtures.dir", "../fixtures")).toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            fail("fixtures directory " + d + " does not exist (set -Dgpt2.fixtures.dir)");
        }
        return d;
    }

    /** A file of a fixture; fails the test (never skips) when it is missing. */
    public static Path fixture(String name, String file) {
        Path f = fixturesDir().resolve(name).resolve(file);
        if (!Files.isRegularFile(f)) {
            fail("fixture file " + f + " is missing (fixtures are committed: regenerate them with the script"
                    + " under fixtures/)");
        }
        return f;
    }

    /** A directory for the files a test writes ({@code -Dgpt2.test.tmpdir}, else a temp dir). */
    public static Path tmpDir(String sub) {
        try {
            String base = System.getProperty("gpt2.test.tmpdir");
            Path root = base != null ? Path.of(base) : Path.of(System.getProperty("java.io.tmpdir"), "gpt2-java-tests");
            Path d = root.resolve(sub).toAbsolutePath();
            Files.createDirectories(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The command line of a child JVM that runs {@code mainClass} on this test's class path and libgpt2
     * (the loader's path and cache properties passed on), with {@code jvmOptions} before the class.
     */
    public static List<String> childJvm(Class<?> mainClass, String... jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        for (String prop : List.of(NativeLibrary.PATH_PROPERTY, NativeCache.CACHE_PROPERTY)) {
            if (System.getProperty(prop) != null) {
                cmd.add("-D" + prop + "=" + System.getProperty(prop));
            }
        }
        cmd.addAll(List.of(jvmOptions));
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPathEntries()));
        cmd.add(mainClass.getName());
        return cmd;
    }

    /** Writes a random model to {@code tmpDir(sub)/name.gguf} (with gpt2-make-model) and returns its path. */
    public static Path randomModel(String sub, String name, RandomModel p) {
        Path f = tmpDir(sub).resolve(name + ".gguf");
        p.write(f);
        return f;
    }

    /** A small, fast model: vocab 512, 64 positions, embd 64, 4 heads, 2 layers. */
    public static RandomModel smallParams() {
        return RandomModel.defaults().withNCtx(64).withSeed(7).withScale(0.1f);
    }

    public static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** max|a - ref| / max|ref|: the error measure of llm.c's and this project's parity tests. */
    public static double relErr(float[] a, float[] ref) {
        if (a.length != ref.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + ref.length);
        }
        double m = 0, r = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - ref[i]));
            r = Math.max(r, Math.abs(ref[i]));
        }
        return m / r;
    }

    public static float[] concat(float[][] rows) {
        int n = 0;
        for (float[] r : rows) {
            n += r.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, out, o, r.length);
            o += r.length;
        }
        return out;
    }

    public static float[] flatten(float[][][] a) {
        float[][] rows = java.util.Arrays.stream(a).flatMap(java.util.Arrays::stream).toArray(float[][]::new);
        return concat(rows);
    }

    public static List<String> classPathEntries() {
        List<String> out = new ArrayList<>();
        for (String prop : List.of("jdk.module.path", "java.class.path")) {
            String v = System.getProperty(prop);
            if (v != null && !v.isBlank()) {
                out.addAll(List.of(v.split(File.pathSeparator)));
            }
        }
        return out;
    }

    /** Every pair (a, b) of {@code as} and {@code bs}, a-major: the arguments of a test per fixture and type. */
    public static Stream<Arguments> pairs(List<String> as, List<String> bs) {
        return as.stream().flatMap(a -> bs.stream().map(b -> Arguments.of(a, b)));
    }
}
