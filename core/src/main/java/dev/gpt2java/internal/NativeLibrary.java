package dev.gpt2java.internal;

import dev.gpt2java.internal.ffi.LibraryLookup;
import dev.gpt2java.internal.ffi.gpt2_h;
import dev.gpt2java.internal.ffi.gpt2_log_callback;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads libgpt2 once per class loader, from the first of:
 * <ol>
 *   <li>the system property {@value #PATH_PROPERTY}: a file, or a directory holding the library
 *       (when set, it is the only place tried);</li>
 *   <li>the folders of {@code java.library.path}: the first that holds the library;</li>
 *   <li>the resources {@code META-INF/native/<os>-<arch>-cuda/}, then {@code META-INF/native/<os>-<arch>/}
 *       (a per-platform classifier jar such as {@code gpt2-java-<version>-linux-x86_64.jar} on the class
 *       path, or the build's classes folder): the files listed in its {@code index.txt} (else the library
 *       alone), extracted into a per-version cache folder shared by JVMs ({@link NativeCache}), or, when
 *       that cannot be used, into a temporary folder of this JVM's; loaded in the index's order, the
 *       library last. ggml's backend modules listed there (CPU variants, CUDA) are extracted beside it and
 *       loaded by libgpt2 itself.</li>
 * </ol>
 * In a folder (1 or 2) with an {@code index.txt}, the files it lists for loading before the library are
 * loaded first (Windows finds a DLL's dependencies only so). Then checks that the library's
 * {@code gpt2_api_version()} is the binding's GPT2_API_VERSION and routes the native log to the
 * {@link System.Logger} {@value #LOGGER_NAME}. A failure throws {@link UnsatisfiedLinkError} listing every
 * place tried, why each failed, and the platform detected; later calls throw it again (no retry).
 */
public final class NativeLibrary {

    public static final String PATH_PROPERTY = "gpt2.library.path";
    public static final String LOG_PROPERTY = "gpt2.log";
    public static final String LOGGER_NAME = "dev.gpt2java";
    public static final String LIBRARY_NAME = "gpt2";
    /** Builds of a platform with more than the CPU, tried before the plain one: {@code linux-x86_64-cuda}. */
    public static final List<String> FLAVOURS = List.of("cuda");

    private static boolean loaded;
    private static String failure;
    private static String loadedFrom;

    private NativeLibrary() {
    }

    /**
     * The OS and CPU, in the names of the {@code META-INF/native/<os>-<arch>} folders; {@code libc} is
     * {@code glibc} or {@code musl} on Linux when detected (else empty), for messages only.
     */
    public record Platform(String os, String arch, String osName, String osArch, String libc) {

        static Platform current() {
            Platform p = of(System.getProperty("os.name", "?"), System.getProperty("os.arch", "?"));
            return p.os().equals("linux") ? new Platform(p.os(), p.arch(), p.osName(), p.osArch(), linuxLibc()) : p;
        }

        static Platform of(String osName, String osArch) {
            String n = osName.toLowerCase(Locale.ROOT);
            String os = n.startsWith("linux") ? "linux"
                    : n.startsWith("mac") || n.startsWith("darwin") ? "macos"
                    : n.startsWith("windows") ? "windows"
                    : n.replaceAll("[^a-z0-9]+", "");
            String a = osArch.toLowerCase(Locale.ROOT);
            String arch = switch (a) {
                case "amd64", "x86_64", "x86-64", "x64" -> "x86_64";
                case "aarch64", "arm64" -> "aarch64";
                default -> a.replaceAll("[^a-z0-9_]+", "");
            };
            return new Platform(os, arch, osName, osArch, "");
        }

        /** The C library this process runs on, from the objects mapped into it; empty when not told. */
        static String linuxLibc() {
            try {
                String maps = Files.readString(Path.of("/proc/self/maps"));
                return maps.contains("musl") ? "musl" : maps.contains("libc.so.6") ? "glibc" : "";
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }

        /** {@code linux-x86_64}. */
        String id() {
            return os + "-" + arch;
        }

        /** {@code libgpt2.so}, {@code libgpt2.dylib}, {@code libgpt2.dll} (the same "lib" prefix everywhere). */
        String libraryFileName() {
            return switch (os) {
                case "windows" -> "lib" + LIBRARY_NAME + ".dll";
                case "macos" -> "lib" + LIBRARY_NAME + ".dylib";
                default -> "lib" + LIBRARY_NAME + ".so";
            };
        }

        /** The names the library may have in a folder: ours, then (Windows) MSVC's default {@code gpt2.dll}. */
        List<String> libraryFileNames() {
            return os.equals("windows") ? List.of(libraryFileName(), LIBRARY_NAME + ".dll") : List.of(libraryFileName());
        }

        /**
         * The resource folders to look in, in order: {@code <os>-<arch>-cuda} (the CUDA jar, which can also
         * compute on the CPU), then {@code <os>-<arch>}.
         */
        List<String> resourceFolders() {
            List<String> out = new ArrayList<>();
            for (String flavour : FLAVOURS) {
                out.add(id() + "-" + flavour);
            }
            out.add(id());
            return List.copyOf(out);
        }

        String resourcePath() {
            return "META-INF/native/" + id() + "/" + libraryFileName();
        }

        @Override
        public String toString() {
            return id() + " (os.name=" + osName + ", os.arch=" + osArch + (libc.isEmpty() ? "" : ", " + libc) + ")";
        }
    }

    /** One place tried and why it did not give a usable library. */
    public record Attempt(String place, String reason) {
    }

    /** Loads libgpt2 if not yet done; throws UnsatisfiedLinkError (every time) if it cannot be. */
    public static synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        if (failure != null) {
            throw new UnsatisfiedLinkError(failure);
        }
        try {
            load();
            loaded = true;
        } catch (UnsatisfiedLinkError e) {
            failure = e.getMessage();
            throw e;
        }
    }

    /** Where the library was loaded from (a path, or {@code java.library.path}); null before loading. */
    public static synchronized String loadedFrom() {
        return loadedFrom;
    }

    private static void load() {
        Platform platform = Platform.current();
        List<Attempt> attempts = new ArrayList<>();
        String where = locateAndLoad(platform, attempts);
        if (where == null) {
            throw new UnsatisfiedLinkError(describeFailure(platform, attempts));
        }
        if (!LibraryLookup.isResolvable("gpt2_api_version")) {
            throw new UnsatisfiedLinkError("loaded " + where + " but it has no symbol gpt2_api_version: it is not"
                    + " libgpt2, or it was loaded by another class loader than the dev.gpt2java.ffi module's");
        }
        int version = gpt2_h.gpt2_api_version();
        if (version != gpt2_h.GPT2_API_VERSION()) {
            throw new UnsatisfiedLinkError("libgpt2 at " + where + " has API version " + version
                    + ", this gpt2-java needs " + gpt2_h.GPT2_API_VERSION()
                    + ": use the library built with this gpt2-java (or the jar that carries it)");
        }
        loadedFrom = where;
        routeLog();
    }

    /** Tries the places in order; returns a description of the one that worked, or null. */
    private static String locateAndLoad(Platform platform, List<Attempt> attempts) {
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (Files.isDirectory(p)) {
                Path dir = p;
                p = platform.libraryFileNames().stream().map(dir::resolve).filter(Files::isRegularFile).findFirst()
                        .orElse(dir.resolve(platform.libraryFileName()));
            }
            String place = "system property " + PATH_PROPERTY + "=" + override + " -> " + p.toAbsolutePath();
            String notTried = "not tried: " + PATH_PROPERTY + " is set and names the only library to use";
            if (!Files.isRegularFile(p)) {
                attempts.add(new Attempt(place, "no such file"));
                attempts.add(new Attempt("java.library.path and META-INF/native/", notTried));
                return null;
            }
            try {
                loadFromFolder(p);
                return p.toAbsolutePath().toString();
            } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
                attempts.add(new Attempt(place, e.getMessage()));
                attempts.add(new Attempt("java.library.path and META-INF/native/", notTried));
                return null;
            }
        }
        attempts.add(new Attempt("system property " + PATH_PROPERTY, "not set"));

        String libraryPath = System.getProperty("java.library.path", "");
        Path found = null;
        for (String entry : libraryPath.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                Path dir = Path.of(entry);
                found = platform.libraryFileNames().stream().map(dir::resolve).filter(Files::isRegularFile).findFirst()
                        .orElse(null);
            } catch (InvalidPathException e) {
                continue;
            }
            if (found != null) {
                break;
            }
        }
        String place = "java.library.path=" + libraryPath;
        if (found == null) {
            attempts.add(new Attempt(place, "no " + String.join(" or ", platform.libraryFileNames()) + " in any of its folders"));
        } else {
            try {
                loadFromFolder(found);
                return found.toAbsolutePath() + " (on java.library.path)";
            } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
                attempts.add(new Attempt(place + " -> " + found.toAbsolutePath(), e.getMessage()));
            }
        }

        for (String folderId : platform.resourceFolders()) {
            String where = loadFromResources(platform, folderId, attempts);
            if (where != null) {
                return where;
            }
        }
        return null;
    }

    /**
     * Extracts and loads {@code META-INF/native/<folderId>/}; returns a description of where from, or null
     * after recording why not.
     */
    private static String loadFromResources(Platform platform, String folderId, List<Attempt> attempts) {
        String resourceDir = "META-INF/native/" + folderId + "/";
        NativeCache.Bundle bundle;
        try {
            bundle = NativeCache.read(folderId, platform.libraryFileName(), NativeLibrary::findResource);
        } catch (IOException e) {
            attempts.add(new Attempt("resource " + resourceDir, "cannot be read: " + e.getMessage()));
            return null;
        }
        if (bundle == null) {
            attempts.add(new Attempt("resource " + resourceDir + platform.libraryFileName(), "not found in the"
                    + " dev.gpt2java module nor on the class path (no gpt2-java-<version>-" + folderId + ".jar there)"));
            return null;
        }
        String from = " (extracted from " + bundle.source() + ")";
        Path folder = null;
        try {
            folder = NativeCache.folder(NativeCache.baseDir(platform), bundle);
            List<Path> files = NativeCache.extract(folder, bundle);
            loadAll(files);
            return files.getLast() + from;
        } catch (IOException | UnsatisfiedLinkError | SecurityException | InvalidPathException e) {
            attempts.add(new Attempt("resource " + resourceDir + " (" + NativeCache.names(bundle) + ") extracted to the"
                    + " cache folder " + (folder != null ? folder : "(none)") + " (set -D" + NativeCache.CACHE_PROPERTY
                    + "=<folder> to move it)", String.valueOf(e.getMessage())));
        }
        Path tmpLib = null;
        try {
            List<Path> files = NativeCache.extractToTemporaryFolder(bundle);
            tmpLib = files.getLast();
            loadAll(files);
            return tmpLib + from;
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            attempts.add(new Attempt("resource " + resourceDir + " extracted to a temporary folder"
                    + (tmpLib != null ? " " + tmpLib.getParent() : ""), String.valueOf(e.getMessage())));
            return null;
        }
    }

    /**
     * Loads {@code library}, first the files that an {@code index.txt} beside it lists for loading before it
     * (none without an index).
     */
    private static void loadFromFolder(Path library) throws IOException {
        Path index = library.toAbsolutePath().getParent().resolve(NativeCache.INDEX_FILE);
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(index)) {
            for (NativeCache.IndexEntry e : NativeCache.parseIndex(Files.readString(index))) {
                if (e.load() && !e.name().equals(library.getFileName().toString())) {
                    files.add(index.getParent().resolve(e.name()));
                }
            }
        }
        files.add(library);
        loadAll(files);
    }

    /** Loads the files in order (dependencies first, the library last). */
    private static void loadAll(List<Path> files) {
        for (Path f : files) {
            LibraryLookup.load(f);
        }
    }

    private static URL findResource(String resource) {
        URL url = NativeLibrary.class.getResource("/" + resource);
        if (url == null && NativeLibrary.class.getClassLoader() != null) {
            url = NativeLibrary.class.getClassLoader().getResource(resource);
        }
        if (url == null && Thread.currentThread().getContextClassLoader() != null) {
            url = Thread.currentThread().getContextClassLoader().getResource(resource);
        }
        return url;
    }

    /** The message of a failed load: the platform, then each place tried with why it failed. */
    public static String describeFailure(Platform platform, List<Attempt> attempts) {
        StringBuilder sb = new StringBuilder();
        sb.append("libgpt2 could not be loaded on platform ").append(platform).append(". Tried:");
        int i = 1;
        for (Attempt a : attempts) {
            sb.append("\n  ").append(i++).append(". ").append(a.place()).append(": ")
                    .append(a.reason() == null ? "failed" : a.reason());
        }
        sb.append("\nFix: set -D").append(PATH_PROPERTY).append("=<").append(platform.libraryFileName())
                .append(" or its directory>, add its directory to java.library.path, or put the jar")
                .append(" gpt2-java-<version>-").append(platform.id()).append(".jar (Maven: classifier ")
                .append(platform.id()).append(platform.id().equals("linux-x86_64") ? "; linux-x86_64-cuda for CUDA" : "")
                .append(") on the class path.");
        return sb.toString();
    }

    // ---- logging ----

    /**
     * Maps gpt2_log_level to System.Logger levels, one step down for DEBUG and INFO: libgpt2's INFO
     * lines (one per model load and session) are details for a Java application, not news.
     */
    public static System.Logger.Level logLevel(int nativeLevel) {
        return switch (nativeLevel) {
            case 1 -> System.Logger.Level.TRACE;
            case 2 -> System.Logger.Level.DEBUG;
            case 3 -> System.Logger.Level.WARNING;
            case 4 -> System.Logger.Level.ERROR;
            default -> nativeLevel < 1 ? System.Logger.Level.TRACE : System.Logger.Level.ERROR;
        };
    }

    private static void routeLog() {
        if ("stderr".equalsIgnoreCase(System.getProperty(LOG_PROPERTY, ""))) {
            return;
        }
        System.Logger logger = System.getLogger(LOGGER_NAME);
        int minLevel = logger.isLoggable(logLevel(gpt2_h.GPT2_LOG_DEBUG())) ? gpt2_h.GPT2_LOG_DEBUG()
                : logger.isLoggable(logLevel(gpt2_h.GPT2_LOG_INFO())) ? gpt2_h.GPT2_LOG_INFO()
                : logger.isLoggable(System.Logger.Level.WARNING) ? gpt2_h.GPT2_LOG_WARN()
                : gpt2_h.GPT2_LOG_ERROR();
        // The stub lives as long as the process (libgpt2 may log until it is unloaded); it must never
        // throw: an exception escaping an upcall ends the JVM.
        MemorySegment stub = gpt2_log_callback.allocate((level, text, userData) -> {
            try {
                String message = text.equals(MemorySegment.NULL) ? "" : text.getString(0);
                logger.log(logLevel(level), message);
            } catch (Throwable ignored) {
                // nowhere safe to report it
            }
        }, Arena.global());
        gpt2_h.gpt2_log_set(stub, MemorySegment.NULL, minLevel);
    }
}
