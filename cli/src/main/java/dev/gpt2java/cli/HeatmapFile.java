package dev.gpt2java.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Option;

/** {@code --png FILE} of the commands that draw a heatmap ({@code lens}, {@code attention}), and its writing. */
final class HeatmapFile {

    @Option(names = "--png", paramLabel = "FILE", description = "Write the heatmap to this PNG file.")
    Path png;

    /** Whether --png was given. */
    boolean given() {
        return png != null;
    }

    /** Writes {@code img} to the --png file ({@link Png#write}: title and axis labels as text) and says so on {@code out}. */
    void write(PrintWriter out, BufferedImage img, String title, List<String> x, List<String> y) throws IOException {
        Png.write(img, png, title, x, y);
        out.printf("wrote %s (%dx%d)%n", png, img.getWidth(), img.getHeight());
    }
}
