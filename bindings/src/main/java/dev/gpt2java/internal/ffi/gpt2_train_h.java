// Written by hand in the shape jextract 22 generates for native/include/gpt2-train.h (jextract cannot
// be installed on this project's machines; bindings/jextract/ has the command that regenerates it).
// AbiTest checks every declaration below against the header with the C compiler.

package dev.gpt2java.internal.ffi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The training part of libgpt2's C API ({@code gpt2-train.h}): one static method per C function it
 * declares (the {@code gpt2_grad_*} loss and gradient); what it includes of {@code gpt2.h} is in
 * {@link gpt2_h}.
 *
 * <p>Symbols are resolved with {@link SymbolLookup#loaderLookup()}: libgpt2 must have been loaded
 * by this module's class loader (see {@link LibraryLookup}) <em>before</em> the first call of a
 * function. A function whose symbol is missing throws {@link UnsatisfiedLinkError} naming it when
 * called; the rest keep working.
 */
@SuppressWarnings("unused")
public class gpt2_train_h {

    gpt2_train_h() {
        // Should not be called directly
    }

    static final Arena LIBRARY_ARENA = Arena.ofAuto();
    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {
        String traceArgs = Arrays.stream(args)
                .map(Object::toString)
                .collect(Collectors.joining(", "));
        System.out.printf("%s(%s)\n", name, traceArgs);
    }

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOL_LOOKUP.find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol));
    }

    static MethodHandle upcallHandle(Class<?> fi, String name, FunctionDescriptor fdesc) {
        try {
            return MethodHandles.lookup().findVirtual(fi, name, fdesc.toMethodType());
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        }
    }

    static MemoryLayout align(MemoryLayout layout, long align) {
        return switch (layout) {
            case java.lang.foreign.PaddingLayout p -> p;
            case ValueLayout v -> v.withByteAlignment(align);
            case java.lang.foreign.GroupLayout g -> {
                MemoryLayout[] alignedMembers = g.memberLayouts().stream()
                        .map(m -> align(m, align)).toArray(MemoryLayout[]::new);
                yield g instanceof java.lang.foreign.StructLayout
                        ? MemoryLayout.structLayout(alignedMembers) : MemoryLayout.unionLayout(alignedMembers);
            }
            case java.lang.foreign.SequenceLayout s -> MemoryLayout.sequenceLayout(s.elementCount(), align(s.elementLayout(), align));
        };
    }

    static final SymbolLookup SYMBOL_LOOKUP = SymbolLookup.loaderLookup()
            .or(Linker.nativeLinker().defaultLookup());

    public static final ValueLayout.OfBoolean C_BOOL = ValueLayout.JAVA_BOOLEAN;
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, ValueLayout.JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    private static class gpt2_grad_default_params {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_grad_params.layout());

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_grad_default_params");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_grad_params gpt2_grad_default_params(void)
     * }
     */
    public static FunctionDescriptor gpt2_grad_default_params$descriptor() {
        return gpt2_grad_default_params.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_grad_params gpt2_grad_default_params(void)
     * }
     */
    public static MethodHandle gpt2_grad_default_params$handle() {
        return LibraryLookup.requireHandle(gpt2_grad_default_params.HANDLE, "gpt2_grad_default_params");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_grad_params gpt2_grad_default_params(void)
     * }
     */
    public static MemorySegment gpt2_grad_default_params$address() {
        return gpt2_grad_default_params.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_grad_params gpt2_grad_default_params(void)
     * }
     */
    public static MemorySegment gpt2_grad_default_params(SegmentAllocator allocator) {
        var mh$ = LibraryLookup.requireHandle(gpt2_grad_default_params.HANDLE, "gpt2_grad_default_params");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_grad_default_params", allocator);
            }
            return (MemorySegment) mh$.invokeExact(allocator);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_grad_new {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_train_h.C_POINTER, gpt2_train_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_grad_new");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_grad * gpt2_grad_new(const gpt2_grad_params * params)
     * }
     */
    public static FunctionDescriptor gpt2_grad_new$descriptor() {
        return gpt2_grad_new.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_grad * gpt2_grad_new(const gpt2_grad_params * params)
     * }
     */
    public static MethodHandle gpt2_grad_new$handle() {
        return LibraryLookup.requireHandle(gpt2_grad_new.HANDLE, "gpt2_grad_new");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_grad * gpt2_grad_new(const gpt2_grad_params * params)
     * }
     */
    public static MemorySegment gpt2_grad_new$address() {
        return gpt2_grad_new.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_grad * gpt2_grad_new(const gpt2_grad_params * params)
     * }
     */
    public static MemorySegment gpt2_grad_new(MemorySegment params) {
        var mh$ = LibraryLookup.requireHandle(gpt2_grad_new.HANDLE, "gpt2_grad_new");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_grad_new", params);
            }
            return (MemorySegment) mh$.invokeExact(params);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_grad_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(gpt2_train_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_grad_free");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void gpt2_grad_free(gpt2_grad * grad)
     * }
     */
    public static FunctionDescriptor gpt2_grad_free$descriptor() {
        return gpt2_grad_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void gpt2_grad_free(gpt2_grad * grad)
     * }
     */
    public static MethodHandle gpt2_grad_free$handle() {
        return LibraryLookup.requireHandle(gpt2_grad_free.HANDLE, "gpt2_grad_free");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void gpt2_grad_free(gpt2_grad * grad)
     * }
     */
    public static MemorySegment gpt2_grad_free$address() {
        return gpt2_grad_free.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void gpt2_grad_free(gpt2_grad * grad)
     * }
     */
    public static void gpt2_grad_free(MemorySegment grad) {
        var mh$ = LibraryLookup.requireHandle(gpt2_grad_free.HANDLE, "gpt2_grad_free");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_grad_free", grad);
            }
            mh$.invokeExact(grad);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_grad_n_params {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_train_h.C_LONG_LONG, gpt2_train_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_grad_n_params");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int64_t gpt2_grad_n_params(const gpt2_grad * grad)
     * }
     */
    public static FunctionDescriptor gpt2_grad_n_params$descriptor() {
        return gpt2_grad_n_params.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int64_t gpt2_grad_n_params(const gpt2_grad * grad)
     * }
     */
    public static MethodHandle gpt2_grad_n_params$handle() {
        return LibraryLookup.requireHandle(gpt2_grad_n_params.HANDLE, "gpt2_grad_n_params");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int64_t gpt2_grad_n_params(const gpt2_grad * grad)
     * }
     */
    public static MemorySegment gpt2_grad_n_params$address() {
        return gpt2_grad_n_params.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int64_t gpt2_grad_n_params(const gpt2_grad * grad)
     * }
     */
    public static long gpt2_grad_n_params(MemorySegment grad) {
        var mh$ = LibraryLookup.requireHandle(gpt2_grad_n_params.HANDLE, "gpt2_grad_n_params");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_grad_n_params", grad);
            }
            return (long) mh$.invokeExact(grad);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_grad_compute {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_train_h.C_INT, gpt2_train_h.C_POINTER, gpt2_train_h.C_POINTER, gpt2_train_h.C_POINTER, gpt2_train_h.C_POINTER, gpt2_train_h.C_POINTER, gpt2_train_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_grad_compute");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_grad_compute(gpt2_grad * grad, const float * params, const int32_t * inputs, const int32_t * targets, float * grads, float * loss)
     * }
     */
    public static FunctionDescriptor gpt2_grad_compute$descriptor() {
        return gpt2_grad_compute.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_grad_compute(gpt2_grad * grad, const float * params, const int32_t * inputs, const int32_t * targets, float * grads, float * loss)
     * }
     */
    public static MethodHandle gpt2_grad_compute$handle() {
        return LibraryLookup.requireHandle(gpt2_grad_compute.HANDLE, "gpt2_grad_compute");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_grad_compute(gpt2_grad * grad, const float * params, const int32_t * inputs, const int32_t * targets, float * grads, float * loss)
     * }
     */
    public static MemorySegment gpt2_grad_compute$address() {
        return gpt2_grad_compute.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_grad_compute(gpt2_grad * grad, const float * params, const int32_t * inputs, const int32_t * targets, float * grads, float * loss)
     * }
     */
    public static int gpt2_grad_compute(MemorySegment grad, MemorySegment params, MemorySegment inputs, MemorySegment targets, MemorySegment grads, MemorySegment loss) {
        var mh$ = LibraryLookup.requireHandle(gpt2_grad_compute.HANDLE, "gpt2_grad_compute");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_grad_compute", grad, params, inputs, targets, grads, loss);
            }
            return (int) mh$.invokeExact(grad, params, inputs, targets, grads, loss);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
