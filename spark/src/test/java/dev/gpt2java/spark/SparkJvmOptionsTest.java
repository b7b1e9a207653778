package dev.gpt2java.spark;

import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tests' JVM is a driver as spark-submit would start it: with every option of Spark's launcher. */
class SparkJvmOptionsTest {

    @Test
    void theTestJvmHasEveryOptionOfSparksLauncher() {
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> missing = List.of(JavaModuleOptions.defaultModuleOptionArray()).stream()
                .filter(o -> !jvm.contains(o)).toList();
        assertEquals(List.of(), missing, "options of Spark's JavaModuleOptions missing from the pom's gpt2.spark.test.argLine");
    }
}
