package dev.gpt2java.internal.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Java binding has the ABI of every public header it binds ({@link CDeclarations#HEADERS}:
 * {@code gpt2.h} in {@link gpt2_h}, {@code gpt2-train.h} in {@link gpt2_train_h}), as the C compiler
 * sees it.
 *
 * <p>Each check writes a C file of {@code _Static_assert}s built from the Java side (layout sizes and
 * offsets, the C declaration recorded in each binding's Javadoc, constant values) and compiles it
 * against the header that declares them, alone, with {@code cc -std=c11 -fsyntax-only}; and checks
 * that each Java descriptor is the FFM mapping of that recorded C declaration. Together: header =
 * recorded declaration (compiler), recorded declaration → descriptor (mapping below).
 */
class AbiTest {

    /** The binding classes of the headers' structs. */
    static final Map<String, GroupLayout> STRUCT_LAYOUTS = Map.of(
            "gpt2_model_params", gpt2_model_params.layout(),
            "gpt2_session_params", gpt2_session_params.layout(),
            "gpt2_batch", gpt2_batch.layout(),
            "gpt2_intervention", gpt2_intervention.layout(),
            "gpt2_grad_params", gpt2_grad_params.layout());

    /**
     * What a C type of gpt2.h maps to in FFM (x86-64 / AArch64, LP64 and LLP64 alike): fixed-width
     * integers to the Java primitive of their width (signedness is the caller's business), pointers
     * and function pointers to ADDRESS, structs by value to the struct's layout.
     */
    static MemoryLayout ffmLayoutOf(String cType) {
        String t = CDeclarations.normalizeType(cType);
        if (t.contains("*") || t.equals("gpt2_log_callback")) {
            return ValueLayout.ADDRESS;
        }
        t = t.replace("const ", "");
        return switch (t) {
            case "int32_t", "uint32_t", "gpt2_status" -> ValueLayout.JAVA_INT;
            case "int64_t", "uint64_t" -> ValueLayout.JAVA_LONG;
            case "int8_t", "uint8_t" -> ValueLayout.JAVA_BYTE;
            case "int16_t", "uint16_t" -> ValueLayout.JAVA_SHORT;
            case "float" -> ValueLayout.JAVA_FLOAT;
            case "double" -> ValueLayout.JAVA_DOUBLE;
            default -> Optional.ofNullable((MemoryLayout) STRUCT_LAYOUTS.get(t))
                    .orElseThrow(() -> new AssertionError("no FFM mapping for C type '" + cType
                            + "': a header uses a type this binding does not know; extend AbiTest.ffmLayoutOf"));
        };
    }

    /** A layout's ABI-relevant shape: names and target layouts do not matter, kind, size and alignment do. */
    static String shape(MemoryLayout l) {
        return switch (l) {
            case AddressLayout a -> "ADDRESS";
            case ValueLayout v -> v.carrier().getSimpleName() + "/" + v.byteSize() + "@" + v.byteAlignment();
            case GroupLayout g -> "struct " + g.name().orElse("?") + " " + g.memberLayouts().stream()
                    .map(m -> m instanceof PaddingLayout ? "pad" + m.byteSize() : m.name().orElse("?") + ":" + shape(m))
                    .collect(Collectors.joining(", ", "{", "}"));
            default -> l.toString();
        };
    }

    static String shape(FunctionDescriptor d) {
        return d.argumentLayouts().stream().map(AbiTest::shape).collect(Collectors.joining(", ", "(", ")"))
                + " -> " + d.returnLayout().map(AbiTest::shape).orElse("void");
    }

    // ------------------------------------------------------------------------------------------
    // structs
    // ------------------------------------------------------------------------------------------

    @TestFactory
    Stream<org.junit.jupiter.api.DynamicTest> structSizeAlignmentAndFieldOffsetsAreTheCCompilers() {
        return STRUCT_LAYOUTS.keySet().stream().sorted().map(name -> dynamicTest(name, () -> {
            GroupLayout layout = STRUCT_LAYOUTS.get(name);
            StringBuilder c = new StringBuilder();
            c.append(assertion("sizeof(" + name + ") == " + layout.byteSize(),
                    "sizeof(" + name + ") differs from the Java layout's byteSize " + layout.byteSize()));
            c.append(assertion("_Alignof(" + name + ") == " + layout.byteAlignment(),
                    "_Alignof(" + name + ") differs from the Java layout's byteAlignment " + layout.byteAlignment()));
            for (MemoryLayout m : layout.memberLayouts()) {
                if (m instanceof PaddingLayout) {
                    continue;
                }
                String f = m.name().orElseThrow();
                long off = layout.byteOffset(MemoryLayout.PathElement.groupElement(f));
                c.append(assertion("offsetof(" + name + ", " + f + ") == " + off,
                        "offsetof(" + name + ", " + f + ") differs from the Java layout's offset " + off));
                c.append(assertion("sizeof(((" + name + " *)0)->" + f + ") == " + m.byteSize(),
                        "sizeof of field " + name + "." + f + " differs from the Java layout's " + m.byteSize()));
            }
            for (CDeclarations.Param p : CDeclarations.javaStruct(name).fields()) {
                c.append(assertion("__builtin_types_compatible_p(__typeof__(((" + name + " *)0)->" + p.name() + "), "
                        + p.type() + ")", name + "." + p.name() + " is not '" + p.type() + "' as recorded in the Javadoc"));
            }
            assertCompiles(CDeclarations.headerOfStruct(name), "struct_" + name, c.toString());
        }));
    }

    @TestFactory
    Stream<org.junit.jupiter.api.DynamicTest> structLayoutsListTheHeadersFieldsInOrderWithTheirFfmMapping() {
        return STRUCT_LAYOUTS.keySet().stream().sorted().map(name -> dynamicTest(name, () -> {
            CDeclarations.Header h = CDeclarations.headerOfStruct(name);
            CDeclarations.Struct s = CDeclarations.headerStructs(h).get(name);
            List<String> expected = s.fields().stream()
                    .map(p -> p.name() + ":" + shape(ffmLayoutOf(p.type()))).toList();
            List<String> actual = STRUCT_LAYOUTS.get(name).memberLayouts().stream()
                    .filter(m -> !(m instanceof PaddingLayout))
                    .map(m -> m.name().orElse("?") + ":" + shape(m)).toList();
            assertEquals(expected, actual, name + ": Java layout fields vs " + h + " fields");
            // the jextract-style $offset() constants agree with the layout
            Class<?> cls = Class.forName("dev.gpt2java.internal.ffi." + name);
            for (CDeclarations.Param p : s.fields()) {
                long fromLayout = STRUCT_LAYOUTS.get(name).byteOffset(MemoryLayout.PathElement.groupElement(p.name()));
                long constant = (long) cls.getMethod(p.name() + "$offset").invoke(null);
                assertEquals(fromLayout, constant, name + "." + p.name() + "$offset()");
            }
        }));
    }

    // ------------------------------------------------------------------------------------------
    // functions
    // ------------------------------------------------------------------------------------------

    /** One dynamic test per function bound for each header, named "header: function". */
    static Stream<org.junit.jupiter.api.DynamicTest> perBoundFunction(
            java.util.function.BiFunction<CDeclarations.Header, CDeclarations.Function, org.junit.jupiter.api.function.Executable> check) {
        return CDeclarations.HEADERS.stream().flatMap(h -> CDeclarations.javaFunctions(h).values().stream()
                .map(f -> dynamicTest(h + ": " + f.name(), check.apply(h, f))));
    }

    @TestFactory
    Stream<org.junit.jupiter.api.DynamicTest> functionDeclarationsRecordedInJavadocHaveTheHeadersTypes() {
        return perBoundFunction((h, f) -> () -> {
            String typedef = "abi_" + f.name() + "_t";
            String pointerType = f.text().replaceFirst("\\b" + f.name() + "\\s*\\(", "(*" + typedef + ")(");
            String c = "typedef " + pointerType + ";\n"
                    + assertion("__builtin_types_compatible_p(__typeof__(&" + f.name() + "), " + typedef + ")",
                            f.name() + " in " + h + " is not '" + f.text() + "' as recorded in the Javadoc");
            assertCompiles(h, "fn_" + f.name(), c);
        });
    }

    @TestFactory
    Stream<org.junit.jupiter.api.DynamicTest> functionDescriptorsAreTheFfmMappingOfTheirCDeclarations() {
        return perBoundFunction((h, f) -> () -> {
            List<MemoryLayout> args = f.params().stream().map(p -> ffmLayoutOf(p.type())).toList();
            FunctionDescriptor expected = f.returnType().equals("void")
                    ? FunctionDescriptor.ofVoid(args.toArray(MemoryLayout[]::new))
                    : FunctionDescriptor.of(ffmLayoutOf(f.returnType()), args.toArray(MemoryLayout[]::new));
            FunctionDescriptor actual = (FunctionDescriptor) h.binding().getMethod(f.name() + "$descriptor").invoke(null);
            assertEquals(shape(expected), shape(actual), f.name() + ": descriptor vs '" + f.text() + "'");
        });
    }

    @TestFactory
    Stream<org.junit.jupiter.api.DynamicTest> javaMethodsTakeAndReturnTheirDescriptorsCarriers() {
        return perBoundFunction((h, f) -> () -> {
            FunctionDescriptor d = (FunctionDescriptor) h.binding().getMethod(f.name() + "$descriptor").invoke(null);
            MethodType expected = d.toMethodType();
            if (d.returnLayout().orElse(null) instanceof GroupLayout) {
                expected = expected.insertParameterTypes(0, SegmentAllocator.class); // jextract: allocator first
            }
            Method m = findMethod(h.binding(), f.name());
            MethodType actual = MethodType.methodType(m.getReturnType(), m.getParameterTypes());
            assertEquals(expected, actual, h.binding().getSimpleName() + "." + f.name() + " signature");
        });
    }

    @Test
    void logCallbackTypedefIsTheHeadersAndItsDescriptorItsFfmMapping() {
        String typedef = CDeclarations.javaCallbackTypedef("gpt2_log_callback");
        String renamed = typedef.replace("(*gpt2_log_callback)", "(*abi_gpt2_log_callback_t)");
        assertCompiles(CDeclarations.GPT2_H, "typedef_gpt2_log_callback", renamed + ";\n"
                + assertion("__builtin_types_compatible_p(gpt2_log_callback, abi_gpt2_log_callback_t)",
                        "gpt2_log_callback is not '" + typedef + "' as recorded in the Javadoc"));
        // void (*)(int32_t level, const char * text, void * user_data)
        var m = java.util.regex.Pattern.compile("^typedef void \\(\\*gpt2_log_callback\\)\\((.*)\\)$").matcher(typedef);
        assertEquals(true, m.matches(), typedef);
        MemoryLayout[] args = Stream.of(m.group(1).split(","))
                .map(p -> ffmLayoutOf(p.trim().replaceFirst("\\w+$", ""))).toArray(MemoryLayout[]::new);
        assertEquals(shape(FunctionDescriptor.ofVoid(args)), shape(gpt2_log_callback.descriptor()));
    }

    // ------------------------------------------------------------------------------------------
    // constants
    // ------------------------------------------------------------------------------------------

    @TestFactory
    Stream<org.junit.jupiter.api.DynamicTest> constantsHaveTheHeadersValues() {
        return CDeclarations.HEADERS.stream().map(h -> dynamicTest(h.file(), () -> {
            StringBuilder c = new StringBuilder();
            for (Method m : h.binding().getDeclaredMethods()) {
                if (isConstant(m)) {
                    long v = ((Number) m.invoke(null)).longValue();
                    c.append(assertion("(" + m.getName() + ") == " + v, m.getName() + " differs from the Java value " + v));
                }
            }
            assertCompiles(h, "constants", c.toString());
        }));
    }

    @Test
    void compilerCheckRejectsAWrongOffset() {
        // the harness has teeth: a false assertion about the header fails to compile
        assertNotEquals(0, compile(CDeclarations.GPT2_H, "negative_control",
                assertion("offsetof(gpt2_batch, tokens) == 4", "expected to fail")).exitCode());
    }

    // ------------------------------------------------------------------------------------------
    // gpt2.h is the inference API only
    // ------------------------------------------------------------------------------------------

    /**
     * The random-model writer of the tools library (native/tools/lib/gpt2-tools.h): not in libgpt2,
     * so not in its headers either.
     */
    static final List<String> MODEL_WRITER = List.of(
            "gpt2_write_random_model", "gpt2_random_model_default_params", "gpt2_random_model_params");

    /** Names that gpt2.h must not declare: training's (gpt2-train.h) and the random-model writer's. */
    static Stream<String> notInferenceNames() {
        return Stream.of(CDeclarations.headerFunctions(CDeclarations.GPT2_TRAIN_H).keySet().stream(),
                CDeclarations.headerStructs(CDeclarations.GPT2_TRAIN_H).keySet().stream(),
                MODEL_WRITER.stream()).flatMap(x -> x);
    }

    @Test
    void inferenceHeaderDeclaresNoTrainingNorModelWriting() {
        String text = CDeclarations.GPT2_H.text();
        List<String> found = notInferenceNames().filter(n -> text.matches("(?s).*\\b" + n + "\\b.*")).toList();
        assertEquals(List.of(), found, "gpt2.h names these declarations of gpt2-train.h or gpt2-tools.h");
        assertFalse(text.contains("gpt2_grad"), "gpt2.h (comments aside) names gpt2_grad*");
        assertFalse(text.contains("random_model"), "gpt2.h (comments aside) names *random_model*");
        assertEquals(List.of(), CDeclarations.headerFunctions(CDeclarations.GPT2_H).keySet().stream()
                .filter(n -> n.startsWith("gpt2_grad") || n.contains("random_model")).toList(),
                "training or model-writing functions declared in gpt2.h");
    }

    @TestFactory
    Stream<org.junit.jupiter.api.DynamicTest> aProgramThatIncludesOnlyGpt2HCannotUseTrainingNorTheModelWriter() {
        return notInferenceNames().map(n -> dynamicTest(n, () -> {
            CompileResult r = compile(CDeclarations.GPT2_H, "undeclared_" + n,
                    "void abi_probe(void) { (void) sizeof(" + n + "); }\n");
            assertNotEquals(0, r.exitCode(), n + " is declared by gpt2.h alone");
            assertTrue(r.output().contains(n), () -> "the compiler's error does not name " + n + ":\n" + r.output());
        }));
    }

    // ------------------------------------------------------------------------------------------
    // helpers
    // ------------------------------------------------------------------------------------------

    static boolean isConstant(Method m) {
        return java.lang.reflect.Modifier.isStatic(m.getModifiers()) && java.lang.reflect.Modifier.isPublic(m.getModifiers())
                && m.getParameterCount() == 0 && m.getReturnType() == int.class && m.getName().matches("GPT2_[A-Z0-9_]+");
    }

    static Method findMethod(Class<?> binding, String name) {
        List<Method> ms = Stream.of(binding.getMethods()).filter(x -> x.getName().equals(name)).toList();
        assertEquals(1, ms.size(), "exactly one method " + binding.getSimpleName() + "." + name);
        return ms.get(0);
    }

    private static String assertion(String expr, String message) {
        return "_Static_assert(" + expr + ", \"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\");\n";
    }

    record CompileResult(int exitCode, String output, Path file) {
    }

    static String cc() {
        String fromProperty = System.getProperty("gpt2.cc");
        if (fromProperty != null) {
            return fromProperty;
        }
        String env = System.getenv("CC");
        return env != null && !env.isBlank() ? env : "cc";
    }

    /** Compiles body after {@code #include "<header>"} (and nothing of the other headers). */
    static CompileResult compile(CDeclarations.Header header, String name, String body) {
        try {
            Path dir = Files.createTempDirectory("gpt2-abi-");
            Path file = dir.resolve(name + ".c");
            String src = "#include <stddef.h>\n#include <stdint.h>\n#include \"" + header.file() + "\"\n\n" + body;
            Files.writeString(file, src);
            List<String> cmd = new ArrayList<>(List.of(cc(), "-std=c11", "-fsyntax-only",
                    "-I" + CDeclarations.includeDir(), file.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc == 0) {
                Files.delete(file);
                Files.delete(dir);
            }
            return new CompileResult(rc, out, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the C compiler '" + cc() + "' (set -Dgpt2.cc or CC)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void assertCompiles(CDeclarations.Header header, String name, String body) {
        CompileResult r = compile(header, name, body);
        assertEquals(0, r.exitCode(), () -> "the C compiler rejects the Java binding's view of " + header + " ("
                + r.file() + "):\n" + r.output());
    }
}
