package dev.gpt2java.internal.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * How {@link gpt2_h} finds libgpt2's symbols. Hand-written (jextract does not generate it), so that
 * regenerating {@code gpt2_h} keeps it; {@code bindings/jextract/regenerate.sh} rewires the generated
 * holders to it.
 *
 * <p>Functions are looked up with {@link SymbolLookup#loaderLookup()}, which sees the libraries loaded
 * by this module's class loader. The {@code load} methods here call {@link System#load} and
 * {@link System#loadLibrary} from this class, so the library is registered with exactly that loader
 * whichever module decides what to load.
 *
 * <p>A symbol missing when its holder class is first used (library not yet loaded, or older than this
 * binding) does not fail class initialisation: the function throws {@link UnsatisfiedLinkError} naming
 * the symbol each time it is called, and its descriptor stays available (the ABI test needs no library).
 */
public final class LibraryLookup {

    private static final SymbolLookup LOOKUP = SymbolLookup.loaderLookup();

    private LibraryLookup() {
    }

    /** Loads libgpt2 from {@code file} on behalf of this module's class loader. */
    public static void load(Path file) {
        System.load(file.toAbsolutePath().toString());
    }

    /** {@link System#loadLibrary(String)} on behalf of this module's class loader. */
    public static void loadLibrary(String name) {
        System.loadLibrary(name);
    }

    /** Whether a loaded library provides {@code symbol}. */
    public static boolean isResolvable(String symbol) {
        return LOOKUP.find(symbol).isPresent();
    }

    /** The symbol's address, or {@link MemorySegment#NULL} if no library loaded by this loader has it. */
    static MemorySegment findOrNull(String symbol) {
        return LOOKUP.find(symbol).orElse(MemorySegment.NULL);
    }

    static MethodHandle downcallOrNull(MemorySegment address, FunctionDescriptor descriptor) {
        return address.equals(MemorySegment.NULL) ? null : Linker.nativeLinker().downcallHandle(address, descriptor);
    }

    static MethodHandle requireHandle(MethodHandle handle, String symbol) {
        if (handle == null) {
            throw new UnsatisfiedLinkError("unresolved symbol: " + symbol + " (libgpt2 was not loaded by "
                    + LibraryLookup.class.getClassLoader() + " before its first use, or it is older than this"
                    + " binding, GPT2_API_VERSION " + gpt2_h.GPT2_API_VERSION() + ")");
        }
        return handle;
    }
}
