package dev.gpt2java.internal;

import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The native cache, in-process on made-up files (no library is loaded): what a platform folder's
 * index asks to extract and in which order, the folder's name, extraction that keeps intact files
 * and replaces a corrupt one by a rename.
 */
class NativeCacheTest {

    static final NativeLibrary.Platform LINUX = NativeLibrary.Platform.of("Linux", "amd64");

    /** Resources served from {@code root} (a stand-in for a jar). */
    static Function<String, URL> resourcesIn(Path root) {
        return name -> {
            Path f = root.resolve(name);
            try {
                return Files.isRegularFile(f) ? f.toUri().toURL() : null;
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    static Path platformDir(String test) throws IOException {
        Path root = TestSupport.tmpDir("native-cache-test/" + test + "-" + System.nanoTime());
        Path dir = root.resolve("META-INF/native/linux-x86_64");
        Files.createDirectories(dir);
        return dir;
    }

    static NativeCache.Bundle bundle(String test, String... files) throws IOException {
        Path dir = platformDir(test);
        for (String f : files) {
            Files.writeString(dir.resolve(f), "bytes of " + f + " ".repeat(100));
        }
        return NativeCache.read(LINUX, resourcesIn(dir.getParent().getParent().getParent()));
    }

    @Test
    void withoutAnIndexTheLibraryAloneIsExtracted() throws IOException {
        NativeCache.Bundle b = bundle("no-index", "libgpt2.so");
        assertEquals(List.of("libgpt2.so"), b.files().stream().map(NativeCache.NativeFile::name).toList());
        assertEquals(NativeCache.sha256(Files.readAllBytes(Path.of(java.net.URI.create(b.source())))).substring(0, 12),
                b.key(), "one file: the key is the library's own hash");
    }

    @Test
    void noLibraryMeansNothingToExtract() throws IOException {
        Path dir = platformDir("none");
        assertNull(NativeCache.read(LINUX, resourcesIn(dir.getParent().getParent().getParent())));
    }

    @Test
    void theIndexListsDependenciesWhichAreLoadedBeforeTheLibrary() throws IOException {
        Path dir = platformDir("deps");
        Files.writeString(dir.resolve("libgpt2.so"), "lib");
        Files.writeString(dir.resolve("libggml.so"), "dep");
        Files.writeString(dir.resolve("index.txt"), "# comment\nlibgpt2.so\n\nlibggml.so\n");
        NativeCache.Bundle b = NativeCache.read(LINUX, resourcesIn(dir.getParent().getParent().getParent()));
        assertEquals(List.of("libggml.so", "libgpt2.so"), b.files().stream().map(NativeCache.NativeFile::name).toList());
        assertTrue(b.source().endsWith("META-INF/native/linux-x86_64/libgpt2.so"), b.source());
    }

    @Test
    void backendModulesAreExtractedAfterTheLibraryButNotLoadedByTheJvm() throws IOException {
        Path dir = platformDir("modules");
        for (String f : List.of("libgpt2.so", "libgpt2-ggml-base.so", "libggml-cpu-x64.so", "libggml-cpu-haswell.so")) {
            Files.writeString(dir.resolve(f), "bytes of " + f);
        }
        Files.writeString(dir.resolve("index.txt"), "libgpt2-ggml-base.so\nlibgpt2.so\nbackend libggml-cpu-x64.so\n"
                + "  backend   libggml-cpu-haswell.so  \n");
        NativeCache.Bundle b = NativeCache.read(LINUX, resourcesIn(dir.getParent().getParent().getParent()));
        assertEquals(List.of("libgpt2-ggml-base.so", "libgpt2.so", "libggml-cpu-x64.so", "libggml-cpu-haswell.so"),
                b.files().stream().map(NativeCache.NativeFile::name).toList());
        assertEquals(List.of("libgpt2-ggml-base.so", "libgpt2.so"), b.loaded().stream().map(NativeCache.NativeFile::name).toList());
        assertTrue(b.source().endsWith("META-INF/native/linux-x86_64/libgpt2.so"), b.source());

        Path folder = NativeCache.folder(TestSupport.tmpDir("native-cache-test/modules-cache-" + System.nanoTime()), b);
        List<Path> loaded = NativeCache.extract(folder, b);
        assertEquals(List.of(folder.resolve("libgpt2-ggml-base.so"), folder.resolve("libgpt2.so")), loaded);
        for (NativeCache.NativeFile f : b.files()) {
            assertArrayEquals(f.bytes(), Files.readAllBytes(folder.resolve(f.name())), f.name() + " extracted beside the library");
        }
        String key = b.key();
        Files.writeString(dir.resolve("libggml-cpu-haswell.so"), "other bytes");
        assertNotEquals(key, NativeCache.read(LINUX, resourcesIn(dir.getParent().getParent().getParent())).key(),
                "a module's bytes are part of the folder's name");
    }

    @Test
    void anIndexLineIsANameOrBackendAndAName() throws IOException {
        assertEquals(List.of(new NativeCache.IndexEntry("a.so", true), new NativeCache.IndexEntry("b.so", false)),
                NativeCache.parseIndex("# c\na.so\nbackend b.so\na.so\n"));
        IOException three = assertThrows(IOException.class, () -> NativeCache.parseIndex("backend a.so b.so\n"));
        assertTrue(three.getMessage().contains("neither a file name nor 'backend <file name>'"), three.getMessage());
        IOException other = assertThrows(IOException.class, () -> NativeCache.parseIndex("module a.so\n"));
        assertTrue(other.getMessage().contains("'module a.so'"), other.getMessage());
        IOException path = assertThrows(IOException.class, () -> NativeCache.parseIndex("backend ../a.so\n"));
        assertTrue(path.getMessage().contains("not a plain file name"), path.getMessage());
        IOException libAsModule = assertThrows(IOException.class, () -> {
            Path dir = platformDir("lib-as-module");
            Files.writeString(dir.resolve("libgpt2.so"), "lib");
            Files.writeString(dir.resolve("index.txt"), "backend libgpt2.so\n");
            NativeCache.read(LINUX, resourcesIn(dir.getParent().getParent().getParent()));
        });
        assertTrue(libAsModule.getMessage().contains("does not list libgpt2.so (as a file to load)"), libAsModule.getMessage());
    }

    @Test
    void anIndexNamingAMissingFileOrAPathIsAnError() throws IOException {
        Path dir = platformDir("bad-index");
        Path root = dir.getParent().getParent().getParent();
        Files.writeString(dir.resolve("libgpt2.so"), "lib");
        Files.writeString(dir.resolve("index.txt"), "libggml.so\nlibgpt2.so\n");
        IOException missing = assertThrows(IOException.class, () -> NativeCache.read(LINUX, resourcesIn(root)));
        assertTrue(missing.getMessage().contains("libggml.so"), missing.getMessage());
        Files.writeString(dir.resolve("index.txt"), "../../evil.so\nlibgpt2.so\n");
        IOException path = assertThrows(IOException.class, () -> NativeCache.read(LINUX, resourcesIn(root)));
        assertTrue(path.getMessage().contains("not a plain file name"), path.getMessage());
        Files.writeString(dir.resolve("index.txt"), "libother.so\n");
        Files.writeString(dir.resolve("libother.so"), "x");
        IOException noLib = assertThrows(IOException.class, () -> NativeCache.read(LINUX, resourcesIn(root)));
        assertTrue(noLib.getMessage().contains("does not list libgpt2.so"), noLib.getMessage());
    }

    @Test
    void theFolderIsNamedByVersionAndContentHashThenPlatform() throws IOException {
        NativeCache.Bundle a = bundle("name-a", "libgpt2.so");
        Path dir = platformDir("name-b");
        Files.writeString(dir.resolve("libgpt2.so"), "other bytes");
        NativeCache.Bundle b = NativeCache.read(LINUX, resourcesIn(dir.getParent().getParent().getParent()));
        Path base = Path.of("/cache");
        Path fa = NativeCache.folder(base, a);
        assertEquals(Path.of("/cache", NativeCache.version() + "-" + a.key(), "linux-x86_64"), fa);
        assertTrue(a.key().matches("[0-9a-f]{12}"), a.key());
        assertNotEquals(fa, NativeCache.folder(base, b), "other bytes, other folder");
    }

    @Test
    void theCacheBaseFollowsThePropertyThenTheUsersCacheFolder() {
        String old = System.getProperty(NativeCache.CACHE_PROPERTY);
        try {
            System.setProperty(NativeCache.CACHE_PROPERTY, "/some/where");
            assertEquals(Path.of("/some/where"), NativeCache.baseDir(LINUX));
            System.clearProperty(NativeCache.CACHE_PROPERTY);
            Path home = Path.of(System.getProperty("user.home"));
            assertEquals(home.resolve("Library/Caches/gpt2-java/native"),
                    NativeCache.baseDir(NativeLibrary.Platform.of("Mac OS X", "aarch64")));
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path linux = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache");
            assertEquals(linux.resolve("gpt2-java/native"), NativeCache.baseDir(LINUX));
        } finally {
            if (old != null) {
                System.setProperty(NativeCache.CACHE_PROPERTY, old);
            } else {
                System.clearProperty(NativeCache.CACHE_PROPERTY);
            }
        }
    }

    @Test
    void extractionKeepsIntactFilesAndLeavesNoTemporaryOnes() throws IOException {
        NativeCache.Bundle b = bundle("keep", "libgpt2.so");
        Path folder = NativeCache.folder(TestSupport.tmpDir("native-cache-test/keep-cache-" + System.nanoTime()), b);
        List<Path> first = NativeCache.extract(folder, b);
        Object inode = Files.readAttributes(first.getLast(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        List<Path> second = NativeCache.extract(folder, b);
        assertEquals(first, second);
        assertEquals(inode, Files.readAttributes(second.getLast(), java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                "an intact file is left as it is");
        assertArrayEquals(b.files().getLast().bytes(), Files.readAllBytes(second.getLast()));
        try (Stream<Path> s = Files.list(folder)) {
            assertEquals(List.of(".lock", "libgpt2.so"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aCorruptCachedFileIsDetectedByItsHashAndReplacedByARename() throws IOException {
        NativeCache.Bundle b = bundle("corrupt", "libgpt2.so");
        Path folder = NativeCache.folder(TestSupport.tmpDir("native-cache-test/corrupt-cache-" + System.nanoTime()), b);
        Path lib = NativeCache.extract(folder, b).getLast();
        byte[] bad = Files.readAllBytes(lib);
        bad[bad.length / 2] ^= 0x55;                          // same size, other bytes
        Files.write(lib, bad);
        assertTrue(!NativeCache.isIntact(lib, b.files().getLast()));
        Object corruptInode = Files.readAttributes(lib, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        NativeCache.extract(folder, b);
        assertArrayEquals(b.files().getLast().bytes(), Files.readAllBytes(lib));
        if (corruptInode != null) {
            assertNotEquals(corruptInode, Files.readAttributes(lib, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                    "replaced by a new file (a JVM that mapped the old one keeps it), not rewritten in place");
        }
        Files.writeString(lib, "short", StandardCharsets.UTF_8);  // truncated
        NativeCache.extract(folder, b);
        assertArrayEquals(b.files().getLast().bytes(), Files.readAllBytes(lib));
    }
}
