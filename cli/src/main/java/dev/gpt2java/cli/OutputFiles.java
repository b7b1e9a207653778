package dev.gpt2java.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files commands write (pictures, pages): their folder is made if missing. */
final class OutputFiles {

    private OutputFiles() {
    }

    /** Creates the folder {@code file} goes in, with its parents, if it does not exist. */
    static void createFolder(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /** Writes {@code text} to {@code file} as UTF-8, creating its folder. */
    static void writeUtf8(Path file, String text) throws IOException {
        createFolder(file);
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
