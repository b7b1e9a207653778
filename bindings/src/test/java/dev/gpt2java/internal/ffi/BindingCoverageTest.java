package dev.gpt2java.internal.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The binding covers gpt2.h exactly: every function, struct and constant, and nothing else. */
class BindingCoverageTest {

    static Set<String> boundFunctions() {
        Set<String> names = Stream.of(gpt2_h.class.getMethods()).map(Method::getName).collect(Collectors.toSet());
        return names.stream().filter(n -> n.matches("gpt2_\\w+") && names.contains(n + "$descriptor"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyGpt2ApiFunctionOfTheHeaderHasABinding() {
        Set<String> missing = new TreeSet<>(CDeclarations.headerFunctions().keySet());
        missing.removeAll(boundFunctions());
        assertEquals(Set.of(), missing, "GPT2_API functions of gpt2.h without a binding in gpt2_h");
    }

    @Test
    void everyBindingIsAFunctionOfTheHeader() {
        Set<String> extra = new TreeSet<>(boundFunctions());
        extra.removeAll(CDeclarations.headerFunctions().keySet());
        assertEquals(Set.of(), extra, "bindings in gpt2_h that gpt2.h does not declare");
    }

    @Test
    void everyBindingRecordsItsCDeclarationInItsJavadoc() {
        assertEquals(boundFunctions(), new TreeSet<>(CDeclarations.javaFunctions().keySet()),
                "functions of gpt2_h whose Javadoc carries their C declaration");
        assertTrue(boundFunctions().size() >= 40, "found " + boundFunctions().size() + " bindings: parser broken?");
    }

    @Test
    void everyStructOfTheHeaderHasABindingClass() {
        assertEquals(new TreeSet<>(CDeclarations.headerStructs().keySet()), new TreeSet<>(AbiTest.STRUCT_LAYOUTS.keySet()));
    }

    @Test
    void everyIntegerConstantOfTheHeaderHasAJavaConstantWithItsValue() throws Exception {
        Map<String, Long> java = new TreeMap<>();
        for (Method m : gpt2_h.class.getDeclaredMethods()) {
            if (AbiTest.isConstant(m) && Modifier.isPublic(m.getModifiers())) {
                java.put(m.getName(), ((Number) m.invoke(null)).longValue());
            }
        }
        Map<String, Long> header = new TreeMap<>(CDeclarations.headerConstants());
        assertTrue(header.containsKey("GPT2_API_VERSION") && header.containsKey("GPT2_ERR_FORMAT")
                && header.containsKey("GPT2_TYPE_Q8_0"), "constant parser broken? " + header);
        assertEquals(header, java, "#define and enum constants of gpt2.h vs gpt2_h");
    }
}
