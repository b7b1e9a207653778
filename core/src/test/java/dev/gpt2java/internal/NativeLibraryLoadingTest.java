package dev.gpt2java.internal;

import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The loader, end to end in child JVMs (a failed load cannot be undone in-process): an override that
 * names a directory loads the library in it, and so does a folder of java.library.path; a bad override
 * fails naming itself; with no library anywhere the error lists every place tried; a second call fails
 * the same way.
 */
class NativeLibraryLoadingTest {

    record Run(int exitCode, String output) {
    }

    /**
     * The META-INF/native/&lt;platform&gt; folder on this test's class or module path that the loader takes
     * (linux-x86_64-cuda before linux-x86_64), if the build put one there.
     */
    static Optional<Path> nativeDir() {
        for (String folder : NativeLibrary.Platform.current().resourceFolders()) {
            Optional<Path> dir = TestSupport.classPathEntries().stream().map(Path::of).map(p -> p.resolve("META-INF/native/" + folder))
                    .filter(Files::isDirectory).findFirst();
            if (dir.isPresent()) {
                return dir;
            }
        }
        return Optional.empty();
    }

    static Run probe(List<String> classPath, String... props) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of(props));
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath));
        cmd.add(LoaderProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    /** This test's class path with every META-INF/native folder left out (class folders copied). */
    static List<String> classPathWithoutNatives() throws IOException {
        List<String> out = new ArrayList<>();
        Path tmp = TestSupport.tmpDir("loader");
        int i = 0;
        for (String e : TestSupport.classPathEntries()) {
            Path p = Path.of(e);
            if (Files.isDirectory(p.resolve("META-INF/native"))) {
                Path copy = tmp.resolve("classes-" + i++);
                copyWithout(p, copy, p.resolve("META-INF/native"));
                out.add(copy.toString());
            } else {
                out.add(e);
            }
        }
        return out;
    }

    static void copyWithout(Path src, Path dst, Path skip) throws IOException {
        try (Stream<Path> all = Files.walk(src)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                if (f.startsWith(skip)) {
                    continue;
                }
                Path t = dst.resolve(src.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The native files of the build's folder on the class path, as the loader reads them. */
    static NativeCache.Bundle classPathBundle() throws IOException {
        Path dir = nativeDir().orElseThrow(() -> new AssertionError("no META-INF/native/"
                + NativeLibrary.Platform.current().id() + " on the test class path"));
        Path root = dir.getParent().getParent().getParent();
        NativeCache.Bundle bundle = NativeCache.read(dir.getFileName().toString(),
                NativeLibrary.Platform.current().libraryFileName(), NativeCacheTest.resourcesIn(root));
        if (bundle == null) {
            throw new AssertionError("no library in " + dir);
        }
        return bundle;
    }

    /** Where this JVM's libgpt2 lives, as a file: the override property, or the build's native folder. */
    static Path libraryFile() {
        String override = System.getProperty(NativeLibrary.PATH_PROPERTY);
        if (override != null) {
            Path p = Path.of(override);
            return Files.isDirectory(p) ? p.resolve(NativeLibrary.Platform.current().libraryFileName()) : p;
        }
        return nativeDir().orElseThrow(() -> new AssertionError("no libgpt2 on the class path and no -D"
                + NativeLibrary.PATH_PROPERTY + ": cannot test loading")).resolve(NativeLibrary.Platform.current().libraryFileName());
    }

    @Test
    void overrideNamingADirectoryLoadsTheLibraryInIt() throws Exception {
        Path dir = libraryFile().getParent();
        Run r = probe(classPathWithoutNatives(), "-D" + NativeLibrary.PATH_PROPERTY + "=" + dir);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("version " + dev.gpt2java.internal.ffi.gpt2_h.GPT2_API_VERSION()), r.output());
        assertTrue(r.output().contains("from " + dir.resolve(libraryFile().getFileName()).toAbsolutePath()), r.output());
    }

    @Test
    void aFolderOnJavaLibraryPathIsSearchedForTheLibrary() throws Exception {
        Path dir = libraryFile().getParent();
        Path empty = TestSupport.tmpDir("loader").resolve("empty-library-path");
        Files.createDirectories(empty);
        Run r = probe(classPathWithoutNatives(), "-Djava.library.path=" + empty + File.pathSeparator + dir);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("from " + dir.resolve(libraryFile().getFileName()).toAbsolutePath()
                + " (on java.library.path)"), r.output());
    }

    @Test
    void badOverrideFailsNamingItAndTriesNothingElse() throws Exception {
        Path missing = TestSupport.tmpDir("loader").resolve("no-such-dir").resolve("libgpt2.so");
        Run r = probe(TestSupport.classPathEntries(), "-D" + NativeLibrary.PATH_PROPERTY + "=" + missing);
        assertEquals(3, r.exitCode(), r.output());
        assertTrue(r.output().contains("gpt2.library.path=" + missing), r.output());
        assertTrue(r.output().contains("no such file"), r.output());
        assertTrue(r.output().contains("not tried"), r.output());
        assertTrue(r.output().contains("second call: same error true"), r.output());
    }

    @Test
    void noLibraryAnywhereListsEveryPlaceTriedAndThePlatform() throws Exception {
        Path emptyDir = TestSupport.tmpDir("loader").resolve("empty-library-path");
        Files.createDirectories(emptyDir);
        Run r = probe(classPathWithoutNatives(), "-Djava.library.path=" + emptyDir);
        assertEquals(3, r.exitCode(), r.output());
        String out = r.output();
        NativeLibrary.Platform platform = NativeLibrary.Platform.current();
        assertTrue(out.contains("1. system property gpt2.library.path: not set"), out);
        assertTrue(out.contains("2. java.library.path=" + emptyDir + ": no " + platform.libraryFileName()), out);
        assertTrue(out.contains("3. resource META-INF/native/" + platform.id() + "-cuda/" + platform.libraryFileName()
                + ": not found"), out);
        assertTrue(out.contains("4. resource " + platform.resourcePath() + ": not found"), out);
        assertTrue(out.contains(NativeLibrary.Platform.current().id()), out);
        if (NativeLibrary.Platform.current().os().equals("linux")) {
            assertTrue(out.contains(", glibc)") || out.contains(", musl)"), "names the C library: " + out);
        }
        assertTrue(out.contains("second call: same error true"), out);
    }

    @Test
    void resourcesAreExtractedIntoTheCacheFolderNamedByVersionAndHash() throws Exception {
        Path cache = TestSupport.tmpDir("loader").resolve("cache-" + System.nanoTime());
        Run r = probe(TestSupport.classPathEntries(), "-D" + NativeCache.CACHE_PROPERTY + "=" + cache);
        assertEquals(0, r.exitCode(), r.output());
        NativeCache.Bundle bundle = classPathBundle();
        Path expected = cache.resolve(NativeCache.version() + "-" + bundle.key()).resolve(bundle.platformId())
                .resolve(NativeLibrary.Platform.current().libraryFileName());
        assertTrue(r.output().contains("from " + expected + " (extracted from "), r.output());
    }

    @Test
    void anUnusableCacheFallsBackToATemporaryFolder() throws Exception {
        Path notADir = TestSupport.tmpDir("loader").resolve("cache-is-a-file");
        Files.writeString(notADir, "not a folder");
        Run r = probe(TestSupport.classPathEntries(), "-D" + NativeCache.CACHE_PROPERTY + "=" + notADir);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("version " + dev.gpt2java.internal.ffi.gpt2_h.GPT2_API_VERSION()), r.output());
        assertTrue(r.output().contains("gpt2-java-") && !r.output().contains("from " + notADir), r.output());
    }
}
