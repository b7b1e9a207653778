package dev.gpt2java.internal.ffi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C declarations the ABI tests compare: those of each public header with a Java binding (parsed
 * from the header text: {@link #HEADERS}) and those recorded on the Java side (the
 * {@code {@snippet lang=c : ...}} Javadoc of each binding, as jextract writes it). Both are plain
 * one-declaration-per-item C; the parsing here is only as general as the headers need, and the C
 * compiler has the last word (see {@link AbiTest}).
 */
final class CDeclarations {

    /**
     * A public header of libgpt2 with a Java binding: its file in the include dir, and the class that
     * binds the functions and constants it declares itself (not those of a header it includes).
     */
    record Header(String file, Class<?> binding) {

        Path path() {
            Path h = includeDir().resolve(file);
            if (!Files.isRegularFile(h)) {
                throw new IllegalStateException(file + " not found at " + h
                        + " (set -Dgpt2.include.dir=<repo>/native/include)");
            }
            return h;
        }

        /** The header's own text, comments stripped. */
        String text() {
            return stripComments(read(path()));
        }

        Path bindingSource() {
            return bindingSourceDir().resolve(binding.getSimpleName() + ".java");
        }

        @Override
        public String toString() {
            return file;
        }
    }

    /** The public headers with a Java binding: inference ({@code gpt2.h}) and training ({@code gpt2-train.h}). */
    static final List<Header> HEADERS = List.of(
            new Header("gpt2.h", gpt2_h.class),
            new Header("gpt2-train.h", gpt2_train_h.class));

    static final Header GPT2_H = HEADERS.get(0);
    static final Header GPT2_TRAIN_H = HEADERS.get(1);

    /** A function declaration: its return type, name and parameters ({@code (type, name)}), and its text. */
    record Function(String returnType, String name, List<Param> params, String text) {
    }

    record Param(String type, String name) {
    }

    /** A struct typedef: field (type, name) in declaration order, and its text. */
    record Struct(String name, List<Param> fields, String text) {
    }

    private CDeclarations() {
    }

    static Path includeDir() {
        return Path.of(System.getProperty("gpt2.include.dir", "../native/include")).toAbsolutePath().normalize();
    }

    static Path bindingSourceDir() {
        Path d = Path.of(System.getProperty("gpt2.bindings.source.dir", "src/main/java"))
                .resolve("dev/gpt2java/internal/ffi").toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            throw new IllegalStateException("binding sources not found at " + d
                    + " (set -Dgpt2.bindings.source.dir=<repo>/bindings/src/main/java)");
        }
        return d;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stripComments(String c) {
        return c.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
    }

    private static String squash(String s) {
        return s.trim().replaceAll("\\s+", " ");
    }

    /** The header that declares the struct typedef {@code name}. */
    static Header headerOfStruct(String name) {
        return HEADERS.stream().filter(h -> headerStructs(h).containsKey(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no header of " + HEADERS + " declares struct " + name));
    }

    // ---- the headers ----

    /** Every {@code GPT2_API} function the header declares, by name, in header order. */
    static Map<String, Function> headerFunctions(Header header) {
        String h = header.text();
        Map<String, Function> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("GPT2_API\\s+([^;#]*?\\))\\s*;").matcher(h);
        while (m.find()) {
            Function f = parseFunction(squash(m.group(1)));
            out.put(f.name(), f);
        }
        return out;
    }

    /** Every {@code typedef struct X {...} X;} the header declares. */
    static Map<String, Struct> headerStructs(Header header) {
        String h = header.text();
        Map<String, Struct> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("typedef\\s+struct\\s+(\\w+)\\s*\\{(.*?)\\}\\s*(\\w+)\\s*;", Pattern.DOTALL).matcher(h);
        while (m.find()) {
            out.put(m.group(1), parseStruct(m.group(1), m.group(2), squash(m.group(0))));
        }
        return out;
    }

    /** Integer {@code #define GPT2_*} values and enum members the header declares. */
    static Map<String, Long> headerConstants(Header header) {
        String h = header.text();
        Map<String, Long> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("#define\\s+(GPT2_\\w+)[ \\t]+(-?\\d+)\\s*$|^\\s*(GPT2_\\w+)\\s*=\\s*(-?\\d+)\\s*,?\\s*$",
                Pattern.MULTILINE).matcher(h);
        while (m.find()) {
            if (m.group(1) != null) {
                out.put(m.group(1), Long.parseLong(m.group(2)));
            } else {
                out.put(m.group(3), Long.parseLong(m.group(4)));
            }
        }
        return out;
    }

    // ---- the Java side ----

    private static final Pattern SNIPPET_THEN_METHOD = Pattern.compile(
            "/\\*\\*\\s*\\n\\s*\\* \\{@snippet lang=c :\\n((?:(?!\\*/).)*?)\\n\\s*\\* }\\n\\s*\\*/\\s*"
                    + "public static [\\w.]+ (gpt2_\\w+)\\(", Pattern.DOTALL);

    /** The C declaration recorded in the Javadoc of each function method of the header's binding class, by name. */
    static Map<String, Function> javaFunctions(Header header) {
        String src = read(header.bindingSource());
        Map<String, Function> out = new LinkedHashMap<>();
        Matcher m = SNIPPET_THEN_METHOD.matcher(src);
        while (m.find()) {
            String decl = squash(snippetText(m.group(1)));
            if (decl.startsWith("#define") || decl.startsWith("enum")) {
                continue;
            }
            Function f = parseFunction(decl);
            if (!f.name().equals(m.group(2))) {
                throw new IllegalStateException("Javadoc of " + m.group(2) + " declares " + f.name());
            }
            out.put(f.name(), f);
        }
        return out;
    }

    /** The C struct recorded in the Javadoc of the binding class named like the struct. */
    static Struct javaStruct(String name) {
        String src = read(bindingSourceDir().resolve(name + ".java"));
        Matcher m = Pattern.compile("\\{@snippet lang=c :\\n((?:(?!\\*/).)*?)\\n \\* }\\n \\*/\\s*public class " + name + "\\b",
                Pattern.DOTALL).matcher(src);
        if (!m.find()) {
            throw new IllegalStateException("no C declaration in the Javadoc of class " + name);
        }
        String text = squash(snippetText(m.group(1)));
        Matcher s = Pattern.compile("typedef\\s+struct\\s+(\\w+)\\s*\\{(.*?)\\}\\s*(\\w+)", Pattern.DOTALL).matcher(text);
        if (!s.find()) {
            throw new IllegalStateException("Javadoc of class " + name + " holds no struct typedef: " + text);
        }
        return parseStruct(name, s.group(2), text);
    }

    /** The C typedef recorded in the Javadoc of a function-pointer class ({@code gpt2_log_callback}). */
    static String javaCallbackTypedef(String name) {
        String src = read(bindingSourceDir().resolve(name + ".java"));
        Matcher m = Pattern.compile("\\{@snippet lang=c :\\n((?:(?!\\*/).)*?)\\n \\* }\\n \\*/\\s*public class " + name + "\\b",
                Pattern.DOTALL).matcher(src);
        if (!m.find()) {
            throw new IllegalStateException("no C declaration in the Javadoc of class " + name);
        }
        return squash(snippetText(m.group(1)));
    }

    private static String snippetText(String body) {
        StringBuilder sb = new StringBuilder();
        for (String line : body.split("\n")) {
            sb.append(line.replaceFirst("^\\s*\\* ?", "")).append('\n');
        }
        return sb.toString();
    }

    // ---- parsing ----

    static Function parseFunction(String decl) {
        Matcher m = Pattern.compile("^(.*?)\\b(gpt2_\\w+)\\s*\\((.*)\\)$").matcher(decl.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a function declaration: " + decl);
        }
        List<Param> params = new ArrayList<>();
        String ps = m.group(3).trim();
        if (!ps.equals("void") && !ps.isEmpty()) {
            for (String p : ps.split(",")) {
                params.add(parseParam(p));
            }
        }
        return new Function(normalizeType(m.group(1)), m.group(2), List.copyOf(params), decl);
    }

    private static Struct parseStruct(String name, String body, String text) {
        List<Param> fields = new ArrayList<>();
        for (String d : stripComments(body).split(";")) {
            if (!d.isBlank()) {
                fields.add(parseParam(d));
            }
        }
        return new Struct(name, List.copyOf(fields), text);
    }

    private static Param parseParam(String p) {
        Matcher m = Pattern.compile("^(.*?)(\\w+)$").matcher(squash(p));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a declaration: " + p);
        }
        return new Param(normalizeType(m.group(1)), m.group(2));
    }

    /** {@code "const  char *"} → {@code "const char *"}: one space between tokens, one before each '*'. */
    static String normalizeType(String t) {
        return squash(t.replace("*", " * ")).replace("* *", "**");
    }
}
