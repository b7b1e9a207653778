package dev.gpt2java.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

import org.w3c.dom.Node;

/**
 * PNG files with text: the image through ImageIO, and {@code tEXt} chunks (the title, the axis labels)
 * so that what the image shows can be read back by programs.
 */
final class Png {

    private static final String FORMAT = "javax_imageio_png_1.0";

    private Png() {
    }

    /** Keyword of the title chunk. */
    static final String TITLE = "Title";
    /** Keyword of the labels chunk: one line per axis, {@code x=} or {@code y=} then the labels separated by tabs. */
    static final String LABELS = "Labels";

    /** The {@link #LABELS} value of the two axes (labels hold no tab or line break: they come from {@link Display}). */
    static String labels(List<String> x, List<String> y) {
        return "x=" + String.join("\t", x) + "\ny=" + String.join("\t", y);
    }

    /** Writes a picture with axes: {@code title} as the {@link #TITLE} chunk, the labels as the {@link #LABELS} one. */
    static void write(BufferedImage image, Path file, String title, List<String> x, List<String> y) throws IOException {
        Map<String, String> text = new LinkedHashMap<>();
        text.put(TITLE, title);
        text.put(LABELS, labels(x, y));
        write(image, file, text);
    }

    /** Writes {@code image} to {@code file} as PNG with {@code text} as tEXt chunks (Latin-1; other characters as \\uXXXX). */
    static void write(BufferedImage image, Path file, Map<String, String> text) throws IOException {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("png");
        if (!it.hasNext()) {
            throw new IOException("no PNG writer in this Java runtime");
        }
        ImageWriter writer = it.next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata md = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            IIOMetadataNode root = new IIOMetadataNode(FORMAT);
            IIOMetadataNode chunk = new IIOMetadataNode("tEXt");
            Map<String, String> all = new LinkedHashMap<>(text);
            all.put("Software", "gpt2-java");
            for (Map.Entry<String, String> e : all.entrySet()) {
                IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
                entry.setAttribute("keyword", e.getKey());
                entry.setAttribute("value", latin1(e.getValue()));
                chunk.appendChild(entry);
            }
            root.appendChild(chunk);
            md.mergeTree(FORMAT, root);
            OutputFiles.createFolder(file);
            try (OutputStream os = Files.newOutputStream(file); ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(image, null, md), param);
            }
        } finally {
            writer.dispose();
        }
    }

    /** The tEXt chunks of a PNG file, keyword to value, in file order. */
    static Map<String, String> readText(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> it = ImageIO.getImageReaders(in);
            if (!it.hasNext()) {
                throw new IOException(file + " is not an image");
            }
            ImageReader reader = it.next();
            try {
                reader.setInput(in);
                Node root = reader.getImageMetadata(0).getAsTree(FORMAT);
                for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (c.getNodeName().equals("tEXt")) {
                        for (Node e = c.getFirstChild(); e != null; e = e.getNextSibling()) {
                            IIOMetadataNode n = (IIOMetadataNode) e;
                            out.put(n.getAttribute("keyword"), n.getAttribute("value"));
                        }
                    }
                }
            } finally {
                reader.dispose();
            }
        }
        return out;
    }

    private static String latin1(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 256 && (c >= 32 || c == '\n' || c == '\t')) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }
}
