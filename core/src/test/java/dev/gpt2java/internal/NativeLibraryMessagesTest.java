package dev.gpt2java.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Platform detection maps JVM names to META-INF/native folders; a load failure lists every place tried. */
class NativeLibraryMessagesTest {

    @Test
    void libraryAndResourceNamesFollowTheNativeFolderConvention() {
        // the platform ids themselves: PlatformNamesTest
        assertEquals("libgpt2.so", NativeLibrary.Platform.of("Linux", "amd64").libraryFileName());
        assertEquals("libgpt2.dylib", NativeLibrary.Platform.of("Mac OS X", "aarch64").libraryFileName());
        assertEquals("libgpt2.dll", NativeLibrary.Platform.of("Windows 10", "amd64").libraryFileName());
        assertEquals(List.of("libgpt2.dll", "gpt2.dll"), NativeLibrary.Platform.of("Windows 10", "amd64").libraryFileNames());
        assertEquals(List.of("linux-x86_64-cuda", "linux-x86_64"), NativeLibrary.Platform.of("Linux", "amd64").resourceFolders());
        assertEquals("META-INF/native/linux-x86_64/libgpt2.so", NativeLibrary.Platform.of("Linux", "amd64").resourcePath());
    }

    @Test
    void failureMessageListsEveryPlaceTriedWithItsReasonAndThePlatform() {
        NativeLibrary.Platform p = NativeLibrary.Platform.of("Linux", "amd64");
        String msg = NativeLibrary.describeFailure(p, List.of(
                new NativeLibrary.Attempt("system property gpt2.library.path", "not set"),
                new NativeLibrary.Attempt("System.loadLibrary(\"gpt2\") on java.library.path=/usr/lib", "no gpt2 in java.library.path"),
                new NativeLibrary.Attempt("resource META-INF/native/linux-x86_64/libgpt2.so", "not found")));
        assertTrue(msg.contains("linux-x86_64"), msg);
        assertTrue(msg.contains("os.name=Linux") && msg.contains("os.arch=amd64"), msg);
        assertTrue(msg.contains("1. system property gpt2.library.path: not set"), msg);
        assertTrue(msg.contains("2. System.loadLibrary(\"gpt2\") on java.library.path=/usr/lib: no gpt2 in java.library.path"), msg);
        assertTrue(msg.contains("3. resource META-INF/native/linux-x86_64/libgpt2.so: not found"), msg);
        assertTrue(msg.contains("-Dgpt2.library.path="), "says how to fix it: " + msg);
    }

    @Test
    void nativeLogLevelsMapToSystemLoggerLevelsOneStepQuieterBelowWarn() {
        assertEquals(System.Logger.Level.TRACE, NativeLibrary.logLevel(1));
        assertEquals(System.Logger.Level.DEBUG, NativeLibrary.logLevel(2));
        assertEquals(System.Logger.Level.WARNING, NativeLibrary.logLevel(3));
        assertEquals(System.Logger.Level.ERROR, NativeLibrary.logLevel(4));
    }
}
