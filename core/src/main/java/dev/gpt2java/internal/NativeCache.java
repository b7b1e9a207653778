package dev.gpt2java.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * The native files of one platform, read from {@code META-INF/native/<os>-<arch>/}, and their
 * extraction into a per-version cache folder shared by every JVM of the user:
 * <pre>
 *   ${gpt2.native.cache:-<user cache dir>/gpt2-java/native}/&lt;version&gt;-&lt;sha256, 12 hex&gt;/&lt;os&gt;-&lt;arch&gt;/
 * </pre>
 * The folder name carries the hash of the files' bytes, so a rebuilt library never meets an older one.
 * Extraction holds a {@link FileLock} on {@value #LOCK_FILE} in the folder, writes each file to a
 * temporary name there and moves it into place atomically; a cached file is used only if its size
 * and SHA-256 are those of the resource (a corrupt one is replaced, by a rename, so a JVM that
 * mapped the old file keeps it). Nothing in the cache is ever deleted.
 */
public final class NativeCache {

    /** System property: the cache's base folder (the version folders go under it). */
    public static final String CACHE_PROPERTY = "gpt2.native.cache";
    /**
     * In each platform folder: the files to extract, one a line. A plain name is loaded by the JVM, in the
     * listed order (dependencies first, the library last); {@code backend NAME} is a ggml backend module
     * (a CPU variant, CUDA), extracted beside the library, which loads the ones this machine can run itself.
     */
    public static final String INDEX_FILE = "index.txt";
    /** The keyword of an index line naming a backend module. */
    public static final String BACKEND_KEYWORD = "backend";
    public static final String LOCK_FILE = ".lock";

    private static final long LOCK_WAIT_MILLIS = 60_000;

    private NativeCache() {
    }

    /**
     * One native file: its name in the platform folder, its bytes and their SHA-256 (hex), and whether the
     * JVM loads it (false: a backend module that libgpt2 loads from its folder).
     */
    public record NativeFile(String name, byte[] bytes, String sha256, boolean load) {

        static NativeFile of(String name, byte[] bytes, boolean load) {
            return new NativeFile(name, bytes, NativeCache.sha256(bytes), load);
        }
    }

    /** One line of an index: a file name, and whether the JVM loads it (else it is a backend module). */
    public record IndexEntry(String name, boolean load) {
    }

    /**
     * A platform's native files as found in the resources: those the JVM loads, in load order with the
     * library last, then the backend modules; {@code platformId} is the resource folder's name
     * ({@code linux-x86_64}, {@code linux-x86_64-cuda}), {@code source} the library's URL.
     */
    public record Bundle(String platformId, List<NativeFile> files, String source) {

        /** The files the JVM loads, in order; the library is the last. */
        List<NativeFile> loaded() {
            return files.stream().filter(NativeFile::load).toList();
        }

        /** The first 12 hex digits of the SHA-256 over every file's bytes in order (the library's own with one file). */
        String key() {
            MessageDigest md = digest();
            for (NativeFile f : files) {
                md.update(f.bytes());
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        }
    }

    /** Reads the files of the platform's own folder ({@code META-INF/native/<os>-<arch>/}); see below. */
    public static Bundle read(NativeLibrary.Platform platform, Function<String, URL> resources) throws IOException {
        return read(platform.id(), platform.libraryFileName(), resources);
    }

    /**
     * Reads the files of {@code META-INF/native/<folderId>/}: those listed in {@code index.txt}, or the
     * library alone when there is no index. Returns null when the library is not there (nothing to extract).
     *
     * @param resources a resource name ({@code META-INF/...}) to its URL, or null
     * @throws IOException when the index names a file that is missing or cannot be read
     */
    public static Bundle read(String folderId, String library, Function<String, URL> resources) throws IOException {
        String dir = "META-INF/native/" + folderId + "/";
        URL index = resources.apply(dir + INDEX_FILE);
        List<IndexEntry> entries;
        if (index != null) {
            entries = parseIndex(new String(readAll(index), StandardCharsets.UTF_8));
            if (!entries.contains(new IndexEntry(library, true))) {
                throw new IOException(index + " does not list " + library + " (as a file to load)");
            }
        } else {
            if (resources.apply(dir + library) == null) {
                return null;
            }
            entries = List.of(new IndexEntry(library, true));
        }
        // the loaded files with the library last, its dependencies before it in their listed order; then
        // the backend modules
        List<IndexEntry> ordered = new ArrayList<>();
        entries.stream().filter(e -> e.load() && !e.name().equals(library)).forEach(ordered::add);
        ordered.add(new IndexEntry(library, true));
        entries.stream().filter(e -> !e.load()).forEach(ordered::add);
        List<NativeFile> files = new ArrayList<>();
        for (IndexEntry e : ordered) {
            URL url = resources.apply(dir + e.name());
            if (url == null) {
                throw new IOException((index != null ? index + " lists " + e.name() + ", but " : "") + "resource "
                        + dir + e.name() + " is missing");
            }
            files.add(NativeFile.of(e.name(), readAll(url), e.load()));
        }
        return new Bundle(folderId, List.copyOf(files), String.valueOf(resources.apply(dir + library)));
    }

    /**
     * The entries of an index: one a line, {@code NAME} or {@code backend NAME}; blank lines and {@code #}
     * comments skipped; plain file names only, each once.
     */
    public static List<IndexEntry> parseIndex(String text) throws IOException {
        List<IndexEntry> entries = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            boolean load = true;
            String[] words = name.split("\\s+");
            if (words.length == 2 && words[0].equals(BACKEND_KEYWORD)) {
                load = false;
                name = words[1];
            } else if (words.length != 1) {
                throw new IOException(INDEX_FILE + ": '" + line.strip() + "' is neither a file name nor '"
                        + BACKEND_KEYWORD + " <file name>'");
            }
            if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                    || name.startsWith(".")) {
                throw new IOException(INDEX_FILE + ": '" + name + "' is not a plain file name");
            }
            if (!seen.contains(name)) {
                seen.add(name);
                entries.add(new IndexEntry(name, load));
            }
        }
        if (entries.isEmpty()) {
            throw new IOException(INDEX_FILE + " lists no file");
        }
        return entries;
    }

    /**
     * The base folder: {@code -Dgpt2.native.cache}, else the user's cache folder + {@code gpt2-java/native}
     * (Linux: {@code $XDG_CACHE_HOME} or {@code ~/.cache}; macOS: {@code ~/Library/Caches}; Windows:
     * {@code %LOCALAPPDATA%}).
     */
    public static Path baseDir(NativeLibrary.Platform platform) {
        return baseDir(platform, System.getProperty(CACHE_PROPERTY), System.getProperty("user.home", "."), System::getenv);
    }

    /**
     * {@link #baseDir(NativeLibrary.Platform)} of any platform, from any machine: {@code property} is
     * {@value #CACHE_PROPERTY}'s value (null when unset), {@code env} reads an environment variable.
     */
    static Path baseDir(NativeLibrary.Platform platform, String property, String userHome, Function<String, String> env) {
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        Path home = Path.of(userHome);
        Path cache = switch (platform.os()) {
            case "macos" -> home.resolve("Library").resolve("Caches");
            case "windows" -> {
                String local = env.apply("LOCALAPPDATA");
                yield local != null && !local.isBlank() ? Path.of(local) : home.resolve("AppData").resolve("Local");
            }
            default -> {
                String xdg = env.apply("XDG_CACHE_HOME");
                yield xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache");
            }
        };
        return cache.resolve("gpt2-java").resolve("native").toAbsolutePath();
    }

    /**
     * This gpt2-java's version, the same on the module path and on the class path: the module's (from
     * its descriptor, else from the {@code module-info.class} next to this class), else the jar
     * manifest's, else {@code dev}; made safe as a file name.
     */
    public static String version() {
        ModuleDescriptor d = NativeCache.class.getModule().getDescriptor();
        String v = d != null ? d.rawVersion().orElse(null) : moduleInfoVersion();
        if (v == null) {
            v = NativeCache.class.getPackage().getImplementationVersion();
        }
        if (v == null || v.isBlank()) {
            v = "dev";
        }
        return v.replaceAll("[^A-Za-z0-9._+-]", "_");
    }

    /** On the class path: the version in the dev.gpt2java module-info.class of this class's jar or folder. */
    private static String moduleInfoVersion() {
        try {
            CodeSource cs = NativeCache.class.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                return null;
            }
            String loc = cs.getLocation().toString();
            URL url = URI.create(loc.endsWith("/") ? loc + "module-info.class" : "jar:" + loc + "!/module-info.class").toURL();
            try (InputStream in = url.openStream()) {
                ModuleDescriptor md = ModuleDescriptor.read(in);
                return md.name().equals("dev.gpt2java") ? md.rawVersion().orElse(null) : null;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code base/<version>-<key>/<os>-<arch>}. */
    public static Path folder(Path base, Bundle bundle) {
        return base.resolve(version() + "-" + bundle.key()).resolve(bundle.platformId());
    }

    /**
     * Puts the bundle's files into {@code folder} (made if missing) unless they are there intact, safely
     * against other JVMs doing the same; returns the paths of those the JVM loads, in load order.
     */
    public static List<Path> extract(Path folder, Bundle bundle) throws IOException {
        Files.createDirectories(folder);
        if (allIntact(folder, bundle)) {
            return paths(folder, bundle);
        }
        try (FileChannel ch = FileChannel.open(folder.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = lock(ch, folder)) {
            for (NativeFile f : bundle.files()) {
                Path target = folder.resolve(f.name());
                if (!isIntact(target, f)) {
                    install(folder, target, f);
                }
            }
        }
        return paths(folder, bundle);
    }

    /**
     * Writes the files to a fresh temporary folder of this JVM's (the fallback when the cache cannot be used);
     * returns the paths of those the JVM loads, in load order.
     */
    public static List<Path> extractToTemporaryFolder(Bundle bundle) throws IOException {
        Path dir = Files.createTempDirectory("gpt2-java-");
        dir.toFile().deleteOnExit();
        for (NativeFile f : bundle.files()) {
            Path file = dir.resolve(f.name());
            Files.write(file, f.bytes());
            // POSIX keeps a loaded library mapped after its file is gone; Windows refuses (and leaves it)
            file.toFile().deleteOnExit();
        }
        return paths(dir, bundle);
    }

    /** The files the JVM loads, in order (the library last); the backend modules lie beside them. */
    private static List<Path> paths(Path folder, Bundle bundle) {
        return bundle.loaded().stream().map(f -> folder.resolve(f.name())).toList();
    }

    private static boolean allIntact(Path folder, Bundle bundle) {
        return bundle.files().stream().allMatch(f -> isIntact(folder.resolve(f.name()), f));
    }

    /** Whether {@code file} holds exactly {@code f}'s bytes (size, then SHA-256). */
    public static boolean isIntact(Path file, NativeFile f) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) != f.bytes().length) {
                return false;
            }
            return sha256(Files.readAllBytes(file)).equals(f.sha256());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The lock for extraction; null when the file system does not lock (the atomic moves alone then keep
     * the files whole). Another class loader of this JVM holding it makes us wait, as another JVM does.
     */
    private static FileLock lock(FileChannel ch, Path folder) throws IOException {
        long deadline = System.nanoTime() + LOCK_WAIT_MILLIS * 1_000_000;
        while (true) {
            try {
                return ch.lock();
            } catch (OverlappingFileLockException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("timed out waiting for the lock on " + folder.resolve(LOCK_FILE));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting for the lock on " + folder.resolve(LOCK_FILE));
                }
            } catch (IOException unsupported) {
                return null;
            }
        }
    }

    /** Writes a temporary file in the folder, then renames it to {@code target} atomically. */
    private static void install(Path folder, Path target, NativeFile f) throws IOException {
        Path tmp = Files.createTempFile(folder, "." + f.name() + ".", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(f.bytes());
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                out.force(true);
            }
            try {   // as a library is installed (createTempFile made it owner-only)
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                // not POSIX (Windows): the folder's default permissions
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // another JVM (not locking) may have put the same file there first: then use it
            if (isIntact(target, f)) {
                return;
            }
            throw new IOException("cannot write " + target + ": " + e, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] readAll(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** For messages: the names in load order, then the number of backend modules. */
    public static String names(Bundle bundle) {
        String loaded = String.join(", ", bundle.loaded().stream().map(NativeFile::name).toList());
        long modules = bundle.files().size() - bundle.loaded().size();
        return modules == 0 ? loaded : loaded + " + " + modules + " backend module" + (modules == 1 ? "" : "s");
    }
}
