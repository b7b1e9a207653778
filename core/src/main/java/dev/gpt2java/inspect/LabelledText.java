package dev.gpt2java.inspect;

import java.util.Objects;

/**
 * One row of a probe's data: a text and its label ({@link LabelledTexts#read} reads a file of them).
 *
 * @param text  the text the model reads
 * @param label a number (for a ridge probe) or a class name (for a logistic probe), as written in the file
 */
public record LabelledText(String text, String label) {

    public LabelledText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
    }
}
