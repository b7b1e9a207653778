package dev.gpt2java.internal;

import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The five platforms the release jars are built for (ci/release/release.yml), as the loader sees each
 * from the JVM's os.name and os.arch, on any machine: the platform id, the library's file name and the
 * names tried in a folder, the resource folders in the order tried, the cache folder the files are
 * extracted to, and what a failed load tells the user to fetch. Pure functions only: nothing is loaded.
 */
class PlatformNamesTest {

    /**
     * One shipped jar: its classifier, the os.name and os.arch values of the JVMs that must take it (as
     * those JVMs report them), and the library file in it.
     */
    record Shipped(String classifier, List<Jvm> jvms, String library) {
    }

    /** A JVM's {@code os.name} and {@code os.arch}. */
    record Jvm(String osName, String osArch) {
    }

    static final List<Shipped> SHIPPED = List.of(
            new Shipped("linux-x86_64", List.of(jvm("Linux", "amd64"), jvm("Linux", "x86_64")), "libgpt2.so"),
            new Shipped("linux-x86_64-cuda", List.of(jvm("Linux", "amd64")), "libgpt2.so"),
            new Shipped("linux-aarch64", List.of(jvm("Linux", "aarch64")), "libgpt2.so"),
            new Shipped("windows-x86_64", List.of(jvm("Windows 11", "amd64"), jvm("Windows 10", "amd64"),
                    jvm("Windows Server 2022", "amd64")), "libgpt2.dll"),
            new Shipped("macos-aarch64", List.of(jvm("Mac OS X", "aarch64")), "libgpt2.dylib"));

    static Jvm jvm(String osName, String osArch) {
        return new Jvm(osName, osArch);
    }

    static NativeLibrary.Platform platform(Jvm jvm) {
        return NativeLibrary.Platform.of(jvm.osName(), jvm.osArch());
    }

    /** The platforms of release.yml's build matrix ({@code - platform: NAME} lines). */
    static List<String> releasePlatforms() throws IOException {
        Path workflow = TestSupport.fixturesDir().getParent().resolve("ci/release/release.yml");
        Matcher m = Pattern.compile("(?m)^\\s+- platform: (\\S+)$").matcher(Files.readString(workflow));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theReleaseWorkflowBuildsExactlyTheFivePlatformsTestedHere() throws IOException {
        assertEquals(new TreeSet<>(SHIPPED.stream().map(Shipped::classifier).toList()), new TreeSet<>(releasePlatforms()));
    }

    @Test
    void everyShippedJarIsAFolderThatItsPlatformsJvmsLookIn() {
        for (Shipped s : SHIPPED) {
            for (Jvm jvm : s.jvms()) {
                NativeLibrary.Platform p = platform(jvm);
                assertTrue(p.resourceFolders().contains(s.classifier()),
                        s.classifier() + " for " + jvm + ": " + p.resourceFolders());
                assertEquals(s.library(), p.libraryFileName(), s.classifier());
                assertEquals(s.classifier().replace("-cuda", ""), p.id(), s.classifier());
            }
        }
    }

    @Test
    void theCudaFolderIsTriedBeforeThePlainOneAndNoOtherFolderIsTried() {
        Map<String, List<String>> expected = Map.of(
                "linux-x86_64", List.of("linux-x86_64-cuda", "linux-x86_64"),
                "linux-aarch64", List.of("linux-aarch64-cuda", "linux-aarch64"),
                "windows-x86_64", List.of("windows-x86_64-cuda", "windows-x86_64"),
                "macos-aarch64", List.of("macos-aarch64-cuda", "macos-aarch64"));
        for (Shipped s : SHIPPED) {
            for (Jvm jvm : s.jvms()) {
                NativeLibrary.Platform p = platform(jvm);
                assertEquals(expected.get(p.id()), p.resourceFolders(), s.classifier());
                assertEquals("META-INF/native/" + p.id() + "/" + s.library(), p.resourcePath());
            }
        }
    }

    @Test
    void aFolderIsSearchedForOurNameThenOnWindowsForMsvcsDefault() {
        assertEquals(List.of("libgpt2.so"), platform(jvm("Linux", "amd64")).libraryFileNames());
        assertEquals(List.of("libgpt2.so"), platform(jvm("Linux", "aarch64")).libraryFileNames());
        assertEquals(List.of("libgpt2.dylib"), platform(jvm("Mac OS X", "aarch64")).libraryFileNames());
        assertEquals(List.of("libgpt2.dll", "gpt2.dll"), platform(jvm("Windows 11", "amd64")).libraryFileNames());
    }

    /** The JVM's os.name and os.arch, other names of the same CPU among them, to the native folder's id. */
    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource({
        "Linux, amd64, linux-x86_64", "Linux, x86-64, linux-x86_64", "Linux, aarch64, linux-aarch64",
        "Mac OS X, aarch64, macos-aarch64", "Darwin, arm64, macos-aarch64", "Mac OS X, x86_64, macos-x86_64",
        "Windows 11, amd64, windows-x86_64", "Windows 11, x64, windows-x86_64",
        "Linux, riscv64, linux-riscv64", "FreeBSD, amd64, freebsd-x86_64"})
    void theJvmsNamesMapToTheNativeFolderId(String osName, String osArch, String id) {
        assertEquals(id, NativeLibrary.Platform.of(osName, osArch).id());
    }

    @Test
    void unknownPlatformsHaveNoShippedJar() {
        for (String unshipped : List.of("macos-x86_64", "linux-riscv64", "freebsd-x86_64")) {
            assertTrue(SHIPPED.stream().noneMatch(s -> s.classifier().equals(unshipped)), unshipped);
        }
    }

    @Test
    void filesAreExtractedUnderTheUsersCacheFolderOfEachOs() {
        Function<String, String> noEnv = name -> null;
        Path home = Path.of("/home/u").toAbsolutePath();
        assertEquals(home.resolve(".cache/gpt2-java/native"),
                NativeCache.baseDir(platform(jvm("Linux", "aarch64")), null, home.toString(), noEnv));
        assertEquals(Path.of("/xdg/cache/gpt2-java/native").toAbsolutePath(),
                NativeCache.baseDir(platform(jvm("Linux", "amd64")), null, home.toString(),
                        Map.of("XDG_CACHE_HOME", "/xdg/cache")::get));
        assertEquals(home.resolve(".cache/gpt2-java/native"),
                NativeCache.baseDir(platform(jvm("Linux", "amd64")), null, home.toString(),
                        Map.of("XDG_CACHE_HOME", "relative/cache")::get), "XDG_CACHE_HOME must be absolute");
        assertEquals(home.resolve("Library/Caches/gpt2-java/native"),
                NativeCache.baseDir(platform(jvm("Mac OS X", "aarch64")), null, home.toString(),
                        Map.of("XDG_CACHE_HOME", "/xdg/cache")::get), "macOS ignores XDG_CACHE_HOME");
        assertEquals(Path.of("/local/app/data/gpt2-java/native").toAbsolutePath(),
                NativeCache.baseDir(platform(jvm("Windows 11", "amd64")), null, home.toString(),
                        Map.of("LOCALAPPDATA", "/local/app/data")::get));
        assertEquals(home.resolve("AppData/Local/gpt2-java/native"),
                NativeCache.baseDir(platform(jvm("Windows 11", "amd64")), null, home.toString(), noEnv));
        assertEquals(Path.of("/elsewhere").toAbsolutePath(),
                NativeCache.baseDir(platform(jvm("Windows 11", "amd64")), "/elsewhere", home.toString(),
                        Map.of("LOCALAPPDATA", "/local/app/data")::get), "the property comes first");
    }

    @Test
    void eachJarsFilesGoToAFolderNamedByVersionHashAndItsOwnClassifier() throws IOException {
        Path base = Path.of("/cache").toAbsolutePath();
        for (Shipped s : SHIPPED) {
            NativeCache.Bundle b = bundle(s.classifier(), s.library(), List.of(s.library()));
            assertEquals(base.resolve(NativeCache.version() + "-" + b.key()).resolve(s.classifier()),
                    NativeCache.folder(base, b), s.classifier());
        }
    }

    @Test
    void theWindowsIndexLoadsGgmlsDllsBeforeTheLibraryAndLeavesTheModulesToIt() throws IOException {
        // the names of native-files.txt of a windows-x86_64 release build (ci/checks/platform-windows.sh)
        List<String> index = List.of("libgpt2-ggml-base.dll", "libgpt2-ggml.dll", "libgpt2.dll",
                "backend ggml-cpu-x64.dll", "backend ggml-cpu-haswell.dll");
        NativeCache.Bundle b = bundle("windows-x86_64", "libgpt2.dll", index);
        assertEquals(List.of("libgpt2-ggml-base.dll", "libgpt2-ggml.dll", "libgpt2.dll"),
                b.loaded().stream().map(NativeCache.NativeFile::name).toList());
        assertEquals(List.of("libgpt2-ggml-base.dll", "libgpt2-ggml.dll", "libgpt2.dll", "ggml-cpu-x64.dll",
                "ggml-cpu-haswell.dll"), b.files().stream().map(NativeCache.NativeFile::name).toList());
    }

    @Test
    void aFailedLoadNamesTheJarOfThePlatformToPutOnTheClassPath() {
        for (Shipped s : SHIPPED) {
            if (s.classifier().endsWith("-cuda")) {
                continue;
            }
            NativeLibrary.Platform p = platform(s.jvms().getFirst());
            String msg = NativeLibrary.describeFailure(p, List.of(new NativeLibrary.Attempt("somewhere", "not found")));
            assertTrue(msg.contains("gpt2-java-<version>-" + s.classifier() + ".jar"), msg);
            assertTrue(msg.contains("-Dgpt2.library.path=<" + s.library() + " or its directory>"), msg);
            assertEquals(s.classifier().equals("linux-x86_64"), msg.contains("linux-x86_64-cuda for CUDA"), msg);
        }
    }

    /**
     * A made-up platform folder {@code META-INF/native/<folder>/} holding the files of {@code index}
     * (plain names, or {@code backend NAME}), with that index, read as the loader reads it.
     */
    static NativeCache.Bundle bundle(String folder, String library, List<String> index) throws IOException {
        Path root = TestSupport.tmpDir("platform-names/" + folder + "-" + System.nanoTime());
        Path dir = root.resolve("META-INF/native/" + folder);
        Files.createDirectories(dir);
        for (String line : index) {
            String name = line.replaceFirst("^backend ", "");
            Files.writeString(dir.resolve(name), "bytes of " + folder + "/" + name);
        }
        Files.writeString(dir.resolve("index.txt"), String.join("\n", index) + "\n");
        return NativeCache.read(folder, library, name -> {
            Path f = root.resolve(name);
            try {
                return Files.isRegularFile(f) ? f.toUri().toURL() : null;
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
