package dev.gpt2java.internal.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The binding covers each public header exactly: every function, struct and constant it declares, in
 * the header's own binding class ({@code gpt2.h}: {@link gpt2_h}, {@code gpt2-train.h}:
 * {@link gpt2_train_h}), and nothing else.
 */
class BindingCoverageTest {

    static Set<String> boundFunctions(CDeclarations.Header h) {
        Set<String> names = Stream.of(h.binding().getMethods()).map(Method::getName).collect(Collectors.toSet());
        return names.stream().filter(n -> n.matches("gpt2_\\w+") && names.contains(n + "$descriptor"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Stream<DynamicTest> perHeader(java.util.function.Function<CDeclarations.Header, org.junit.jupiter.api.function.Executable> check) {
        return CDeclarations.HEADERS.stream().map(h -> dynamicTest(h.file(), check.apply(h)));
    }

    @Test
    void everyPublicHeaderHasABinding() throws IOException {
        Set<String> headers;
        try (Stream<Path> files = Files.list(CDeclarations.includeDir())) {
            headers = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".h"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(headers, CDeclarations.HEADERS.stream().map(CDeclarations.Header::file)
                .collect(Collectors.toCollection(TreeSet::new)), "headers of " + CDeclarations.includeDir()
                + " vs CDeclarations.HEADERS");
    }

    @TestFactory
    Stream<DynamicTest> everyGpt2ApiFunctionOfTheHeaderHasABinding() {
        return perHeader(h -> () -> {
            Set<String> missing = new TreeSet<>(CDeclarations.headerFunctions(h).keySet());
            missing.removeAll(boundFunctions(h));
            assertEquals(Set.of(), missing, "GPT2_API functions of " + h + " without a binding in "
                    + h.binding().getSimpleName());
        });
    }

    @TestFactory
    Stream<DynamicTest> everyBindingIsAFunctionOfTheHeader() {
        return perHeader(h -> () -> {
            Set<String> extra = new TreeSet<>(boundFunctions(h));
            extra.removeAll(CDeclarations.headerFunctions(h).keySet());
            assertEquals(Set.of(), extra, "bindings in " + h.binding().getSimpleName() + " that " + h + " does not declare");
        });
    }

    @TestFactory
    Stream<DynamicTest> everyBindingRecordsItsCDeclarationInItsJavadoc() {
        return perHeader(h -> () -> {
            assertEquals(boundFunctions(h), new TreeSet<>(CDeclarations.javaFunctions(h).keySet()),
                    "functions of " + h.binding().getSimpleName() + " whose Javadoc carries their C declaration");
            assertTrue(!boundFunctions(h).isEmpty(), "found no bindings of " + h + ": parser broken?");
        });
    }

    @Test
    void bindingsOfGpt2HAreFound() {
        int n = boundFunctions(CDeclarations.GPT2_H).size();
        assertTrue(n >= 40, "found " + n + " bindings of gpt2.h: parser broken?");
    }

    @Test
    void everyStructOfTheHeadersHasABindingClass() {
        Set<String> structs = new TreeSet<>();
        for (CDeclarations.Header h : CDeclarations.HEADERS) {
            structs.addAll(CDeclarations.headerStructs(h).keySet());
        }
        assertEquals(structs, new TreeSet<>(AbiTest.STRUCT_LAYOUTS.keySet()));
    }

    @TestFactory
    Stream<DynamicTest> everyIntegerConstantOfTheHeaderHasAJavaConstantWithItsValue() {
        return perHeader(h -> () -> {
            Map<String, Long> java = new TreeMap<>();
            for (Method m : h.binding().getDeclaredMethods()) {
                if (AbiTest.isConstant(m) && Modifier.isPublic(m.getModifiers())) {
                    java.put(m.getName(), ((Number) m.invoke(null)).longValue());
                }
            }
            Map<String, Long> header = new TreeMap<>(CDeclarations.headerConstants(h));
            assertEquals(header, java, "#define and enum constants of " + h + " vs " + h.binding().getSimpleName());
        });
    }

    @Test
    void constantsOfGpt2HAreFound() {
        Map<String, Long> header = CDeclarations.headerConstants(CDeclarations.GPT2_H);
        assertTrue(header.containsKey("GPT2_API_VERSION") && header.containsKey("GPT2_ERR_FORMAT")
                && header.containsKey("GPT2_TYPE_Q8_0"), "constant parser broken? " + header);
    }
}
