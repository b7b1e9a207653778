package dev.gpt2java.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's code blocks and the test code they must equal, for the tests that run the README's examples
 * as written. A test keeps its example between the lines {@code // README:begin} and {@code // README:end},
 * and compares it with the block of the README section that shows it. Paths are the Maven module's (the
 * tests' working directory): the README is {@code ../README.md}.
 */
public final class ReadmeBlocks {

    private static final String BEGIN = "// README:begin\n";
    private static final String END = "// README:end";

    private ReadmeBlocks() {
    }

    /** The code between the README markers of a test source (relative to the module), unindented. */
    public static String example(String testSource) {
        String source = read(Path.of(testSource));
        int begin = source.indexOf(BEGIN);
        int end = source.indexOf(END, begin);
        if (begin < 0 || end < 0) {
            throw new AssertionError(testSource + " has no '// README:begin' ... '// README:end' lines");
        }
        String body = source.substring(begin + BEGIN.length(), source.lastIndexOf('\n', end) + 1);
        return body.stripTrailing().stripIndent().strip();
    }

    /**
     * The first {@code ```lang} block holding {@code needle} in the README section whose heading starts with
     * {@code heading} (say {@code "## Serving"}: up to the next {@code ## } heading), stripped.
     */
    public static String block(String heading, String lang, String needle) {
        String readme = read(Path.of("../README.md"));
        int start = readme.startsWith(heading) ? 0 : readme.indexOf("\n" + heading);
        if (start < 0) {
            throw new AssertionError("README.md has no '" + heading + "' section");
        }
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        String fence = "```" + lang + "\n";
        for (int i = section.indexOf(fence); i >= 0; i = section.indexOf(fence, i + 1)) {
            int close = section.indexOf("```\n", i + fence.length());
            String b = section.substring(i + fence.length(), close < 0 ? section.length() : close);
            if (b.contains(needle)) {
                return b.strip();
            }
        }
        throw new AssertionError("no ```" + lang + " block with '" + needle + "' in the README's '" + heading
                + "' section");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
