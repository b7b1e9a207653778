package dev.gpt2java.internal;

import dev.gpt2java.Gpt2;
import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The shared native cache with real JVMs: two started together, on a fresh cache, both extract-or-reuse,
 * load and evaluate, and the cache ends with one intact library and no temporary file; a cached library
 * corrupted afterwards is detected by its hash and replaced on the next start.
 */
class NativeCacheTwoJvmsTest {

    static final String LIB = NativeLibrary.Platform.current().libraryFileName();

    static Process start(Path cache, Path go, Path out) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-D" + NativeCache.CACHE_PROPERTY + "=" + cache);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, TestSupport.classPathEntries()));
        cmd.add(ExtractionProbe.class.getName());
        cmd.add(go.toString());
        cmd.add(TestSupport.fixture("tiny-odd-heads", "model-f32.gguf").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().remove("LD_LIBRARY_PATH");
        return pb.start();
    }

    static List<Path> cachedLibraries(Path cache) throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> p.getFileName().toString().equals(LIB)).toList();
        }
    }

    static List<Path> temporaryFiles(Path cache) throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void twoJvmsStartedTogetherShareOneIntactExtractionAndACorruptOneIsReplaced() throws Exception {
        NativeCache.Bundle bundle = NativeLibraryLoadingTest.classPathBundle();
        byte[] expected = bundle.loaded().getLast().bytes();
        Path dir = TestSupport.tmpDir("two-jvms-" + System.nanoTime());
        Path cache = dir.resolve("cache");
        Path go = dir.resolve("go");

        Process a = start(cache, go, dir.resolve("a.out"));
        Process b = start(cache, go, dir.resolve("b.out"));
        Thread.sleep(300);                                       // both JVMs up and spinning on the go file
        Files.createFile(go);
        int ea = a.waitFor();
        int eb = b.waitFor();
        String outA = Files.readString(dir.resolve("a.out"), StandardCharsets.UTF_8);
        String outB = Files.readString(dir.resolve("b.out"), StandardCharsets.UTF_8);
        assertEquals(0, ea, outA);
        assertEquals(0, eb, outB);

        List<Path> libs = cachedLibraries(cache);
        assertEquals(1, libs.size(), "one library in the cache: " + libs);
        Path cached = libs.getFirst();
        assertArrayEquals(expected, Files.readAllBytes(cached), "the cached library is intact");
        for (NativeCache.NativeFile f : bundle.files()) {      // its dependencies and backend modules too
            assertArrayEquals(f.bytes(), Files.readAllBytes(cached.resolveSibling(f.name())), f.name() + " is intact");
        }
        try (Stream<Path> s = Files.list(cached.getParent())) {
            List<String> names = new ArrayList<>(bundle.files().stream().map(NativeCache.NativeFile::name).toList());
            names.add(NativeCache.LOCK_FILE);
            assertEquals(names.stream().sorted().toList(), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the folder holds the bundle's files and the lock, nothing else");
        }
        assertEquals(List.of(), temporaryFiles(cache));
        String version = NativeCache.version();
        assertTrue(cached.getParent().getFileName().toString().equals(bundle.platformId())
                && cached.getParent().getParent().getFileName().toString()
                        .equals(version + "-" + bundle.key()), cached.toString());
        for (String out : List.of(outA, outB)) {
            assertTrue(out.contains("from " + cached + " (extracted from "), out);
        }
        // both computed with the same CPU backend (in a release build: the variant module from the cache)
        String variantA = outA.lines().filter(l -> l.startsWith("cpu variant ")).findFirst().orElseThrow();
        assertEquals(variantA, outB.lines().filter(l -> l.startsWith("cpu variant ")).findFirst().orElseThrow());
        assertEquals("cpu variant " + Gpt2.cpuVariant(), variantA);
        String argmaxA = outA.lines().filter(l -> l.startsWith("argmax ")).findFirst().orElseThrow();
        assertEquals(argmaxA, outB.lines().filter(l -> l.startsWith("argmax ")).findFirst().orElseThrow());

        // corrupt the cached library (same size): the next JVM sees the hash differ and puts a good copy there
        byte[] bad = expected.clone();
        for (int i = 0; i < 4096 && i < bad.length; i++) {
            bad[bad.length / 2 + i - Math.min(2048, bad.length / 2)] ^= (byte) 0xA5;
        }
        Files.write(cached, bad);
        Files.delete(go);
        Process c = start(cache, go, dir.resolve("c.out"));
        Files.createFile(go);
        int ec = c.waitFor();
        String outC = Files.readString(dir.resolve("c.out"), StandardCharsets.UTF_8);
        assertEquals(0, ec, outC);
        assertTrue(outC.contains("from " + cached + " (extracted from "), outC);
        assertTrue(outC.contains(argmaxA), outC);
        assertArrayEquals(expected, Files.readAllBytes(cached), "the corrupt copy was replaced");
        assertEquals(List.of(cached), cachedLibraries(cache));
        assertEquals(List.of(), temporaryFiles(cache));
    }
}
