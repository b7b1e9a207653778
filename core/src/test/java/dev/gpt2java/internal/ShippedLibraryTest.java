package dev.gpt2java.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.internal.ffi.LibraryLookup;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the platform jar ships is the inference library: libgpt2 exports gpt2.h's and gpt2-train.h's
 * functions and not the random-model writer, and META-INF/native/&lt;platform&gt;/ holds no tools
 * library (gpt2-tools is static, for the native tools and tests only).
 */
class ShippedLibraryTest {

    @BeforeAll
    static void load() {
        NativeLibrary.ensureLoaded();
    }

    @Test
    void libgpt2ExportsInferenceAndTrainingButNoModelWriter() {
        for (String symbol : List.of("gpt2_model_load", "gpt2_eval", "gpt2_quantize", "gpt2_grad_new", "gpt2_grad_compute")) {
            assertTrue(LibraryLookup.isResolvable(symbol), symbol + " is not exported by " + NativeLibrary.loadedFrom());
        }
        for (String symbol : List.of("gpt2_write_random_model", "gpt2_random_model_default_params", "gpt2_tools_last_error")) {
            assertFalse(LibraryLookup.isResolvable(symbol), symbol + " is exported by " + NativeLibrary.loadedFrom());
        }
    }

    @Test
    void platformFolderHoldsNoToolsLibrary() throws IOException, URISyntaxException {
        // the build's folder: <os>-<arch>, or <os>-<arch>-cuda for a CUDA build
        List<String> folders = NativeLibrary.Platform.current().resourceFolders().stream()
                .map(f -> "META-INF/native/" + f + "/").toList();
        String folder = folders.stream()
                .filter(f -> ShippedLibraryTest.class.getClassLoader().getResource(f + "index.txt") != null)
                .findFirst().orElse(null);
        assertNotNull(folder, "no index.txt in any of " + folders + " on the class path (core's build copies it there)");
        URL index = ShippedLibraryTest.class.getClassLoader().getResource(folder + "index.txt");
        List<String> listed = Files.readAllLines(Path.of(index.toURI())).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertTrue(listed.contains(NativeLibrary.Platform.current().libraryFileName()), "index.txt lists " + listed);
        assertEquals(List.of(), listed.stream().filter(l -> l.contains("tools")).toList(), "tools files in index.txt");
        try (Stream<Path> files = Files.list(Path.of(index.toURI()).getParent())) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.contains("tools")).toList(),
                    "tools files in " + folder);
        }
    }
}
