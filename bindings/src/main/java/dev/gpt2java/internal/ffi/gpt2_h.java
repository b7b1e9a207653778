// Written by hand in the shape jextract 22 generates for native/include/gpt2.h (jextract cannot be
// installed on this project's machines; bindings/jextract/ has the command that regenerates it).
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
 * The C API of libgpt2 ({@code gpt2.h}): one static method per C function, plus the constants of
 * its {@code #define}s and enums.
 *
 * <p>Symbols are resolved with {@link SymbolLookup#loaderLookup()}: libgpt2 must have been loaded
 * by this module's class loader (see {@link LibraryLookup}) <em>before</em> the first call of a
 * function. A function whose symbol is missing throws {@link UnsatisfiedLinkError} naming it when
 * called; the rest keep working.
 */
@SuppressWarnings("unused")
public class gpt2_h {

    gpt2_h() {
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

    /**
     * {@snippet lang=c :
     * typedef signed char int8_t
     * }
     */
    public static final ValueLayout.OfByte int8_t = gpt2_h.C_CHAR;
    /**
     * {@snippet lang=c :
     * typedef unsigned char uint8_t
     * }
     */
    public static final ValueLayout.OfByte uint8_t = gpt2_h.C_CHAR;
    /**
     * {@snippet lang=c :
     * typedef int int32_t
     * }
     */
    public static final ValueLayout.OfInt int32_t = gpt2_h.C_INT;
    /**
     * {@snippet lang=c :
     * typedef long int64_t
     * }
     */
    public static final ValueLayout.OfLong int64_t = gpt2_h.C_LONG;
    /**
     * {@snippet lang=c :
     * typedef unsigned long uint64_t
     * }
     */
    public static final ValueLayout.OfLong uint64_t = gpt2_h.C_LONG;
    /**
     * {@snippet lang=c :
     * typedef int32_t gpt2_status
     * }
     */
    public static final ValueLayout.OfInt gpt2_status = gpt2_h.C_INT;

    private static final int GPT2_API_VERSION = (int) 107L;

    /**
     * {@snippet lang=c :
     * #define GPT2_API_VERSION 107
     * }
     */
    public static int GPT2_API_VERSION() {
        return GPT2_API_VERSION;
    }
    private static final int GPT2_OK = (int) 0L;

    /**
     * {@snippet lang=c :
     * #define GPT2_OK 0
     * }
     */
    public static int GPT2_OK() {
        return GPT2_OK;
    }
    private static final int GPT2_ERR_INVALID_ARG = (int) -1L;

    /**
     * {@snippet lang=c :
     * #define GPT2_ERR_INVALID_ARG -1
     * }
     */
    public static int GPT2_ERR_INVALID_ARG() {
        return GPT2_ERR_INVALID_ARG;
    }
    private static final int GPT2_ERR_IO = (int) -2L;

    /**
     * {@snippet lang=c :
     * #define GPT2_ERR_IO -2
     * }
     */
    public static int GPT2_ERR_IO() {
        return GPT2_ERR_IO;
    }
    private static final int GPT2_ERR_FORMAT = (int) -3L;

    /**
     * {@snippet lang=c :
     * #define GPT2_ERR_FORMAT -3
     * }
     */
    public static int GPT2_ERR_FORMAT() {
        return GPT2_ERR_FORMAT;
    }
    private static final int GPT2_ERR_UNSUPPORTED = (int) -4L;

    /**
     * {@snippet lang=c :
     * #define GPT2_ERR_UNSUPPORTED -4
     * }
     */
    public static int GPT2_ERR_UNSUPPORTED() {
        return GPT2_ERR_UNSUPPORTED;
    }
    private static final int GPT2_ERR_OUT_OF_MEMORY = (int) -5L;

    /**
     * {@snippet lang=c :
     * #define GPT2_ERR_OUT_OF_MEMORY -5
     * }
     */
    public static int GPT2_ERR_OUT_OF_MEMORY() {
        return GPT2_ERR_OUT_OF_MEMORY;
    }
    private static final int GPT2_ERR_KV_FULL = (int) -6L;

    /**
     * {@snippet lang=c :
     * #define GPT2_ERR_KV_FULL -6
     * }
     */
    public static int GPT2_ERR_KV_FULL() {
        return GPT2_ERR_KV_FULL;
    }
    private static final int GPT2_ERR_BACKEND = (int) -7L;

    /**
     * {@snippet lang=c :
     * #define GPT2_ERR_BACKEND -7
     * }
     */
    public static int GPT2_ERR_BACKEND() {
        return GPT2_ERR_BACKEND;
    }
    private static final int GPT2_ERR_INTERNAL = (int) -8L;

    /**
     * {@snippet lang=c :
     * #define GPT2_ERR_INTERNAL -8
     * }
     */
    public static int GPT2_ERR_INTERNAL() {
        return GPT2_ERR_INTERNAL;
    }
    private static final int GPT2_LOG_DEBUG = (int) 1L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_LOG_DEBUG = 1 }
     * }
     */
    public static int GPT2_LOG_DEBUG() {
        return GPT2_LOG_DEBUG;
    }
    private static final int GPT2_LOG_INFO = (int) 2L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_LOG_INFO = 2 }
     * }
     */
    public static int GPT2_LOG_INFO() {
        return GPT2_LOG_INFO;
    }
    private static final int GPT2_LOG_WARN = (int) 3L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_LOG_WARN = 3 }
     * }
     */
    public static int GPT2_LOG_WARN() {
        return GPT2_LOG_WARN;
    }
    private static final int GPT2_LOG_ERROR = (int) 4L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_LOG_ERROR = 4 }
     * }
     */
    public static int GPT2_LOG_ERROR() {
        return GPT2_LOG_ERROR;
    }
    private static final int GPT2_TYPE_F32 = (int) 0L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_TYPE_F32 = 0 }
     * }
     */
    public static int GPT2_TYPE_F32() {
        return GPT2_TYPE_F32;
    }
    private static final int GPT2_TYPE_F16 = (int) 1L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_TYPE_F16 = 1 }
     * }
     */
    public static int GPT2_TYPE_F16() {
        return GPT2_TYPE_F16;
    }
    private static final int GPT2_TYPE_Q4_0 = (int) 2L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_TYPE_Q4_0 = 2 }
     * }
     */
    public static int GPT2_TYPE_Q4_0() {
        return GPT2_TYPE_Q4_0;
    }
    private static final int GPT2_TYPE_Q4_1 = (int) 3L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_TYPE_Q4_1 = 3 }
     * }
     */
    public static int GPT2_TYPE_Q4_1() {
        return GPT2_TYPE_Q4_1;
    }
    private static final int GPT2_TYPE_Q5_0 = (int) 6L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_TYPE_Q5_0 = 6 }
     * }
     */
    public static int GPT2_TYPE_Q5_0() {
        return GPT2_TYPE_Q5_0;
    }
    private static final int GPT2_TYPE_Q5_1 = (int) 7L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_TYPE_Q5_1 = 7 }
     * }
     */
    public static int GPT2_TYPE_Q5_1() {
        return GPT2_TYPE_Q5_1;
    }
    private static final int GPT2_TYPE_Q8_0 = (int) 8L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_TYPE_Q8_0 = 8 }
     * }
     */
    public static int GPT2_TYPE_Q8_0() {
        return GPT2_TYPE_Q8_0;
    }
    private static final int GPT2_TYPE_BF16 = (int) 30L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_TYPE_BF16 = 30 }
     * }
     */
    public static int GPT2_TYPE_BF16() {
        return GPT2_TYPE_BF16;
    }
    private static final int GPT2_BACKEND_AUTO = (int) 0L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_BACKEND_AUTO = 0 }
     * }
     */
    public static int GPT2_BACKEND_AUTO() {
        return GPT2_BACKEND_AUTO;
    }
    private static final int GPT2_BACKEND_CPU = (int) 1L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_BACKEND_CPU = 1 }
     * }
     */
    public static int GPT2_BACKEND_CPU() {
        return GPT2_BACKEND_CPU;
    }
    private static final int GPT2_BACKEND_CUDA = (int) 2L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_BACKEND_CUDA = 2 }
     * }
     */
    public static int GPT2_BACKEND_CUDA() {
        return GPT2_BACKEND_CUDA;
    }
    private static final int GPT2_BACKEND_METAL = (int) 3L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_BACKEND_METAL = 3 }
     * }
     */
    public static int GPT2_BACKEND_METAL() {
        return GPT2_BACKEND_METAL;
    }
    private static final int GPT2_GELU_EXACT = (int) 0L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_GELU_EXACT = 0 }
     * }
     */
    public static int GPT2_GELU_EXACT() {
        return GPT2_GELU_EXACT;
    }
    private static final int GPT2_GELU_FAST = (int) 1L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_GELU_FAST = 1 }
     * }
     */
    public static int GPT2_GELU_FAST() {
        return GPT2_GELU_FAST;
    }
    private static final int GPT2_SITE_RESIDUAL = (int) 0L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_SITE_RESIDUAL = 0 }
     * }
     */
    public static int GPT2_SITE_RESIDUAL() {
        return GPT2_SITE_RESIDUAL;
    }
    private static final int GPT2_SITE_HEAD = (int) 1L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_SITE_HEAD = 1 }
     * }
     */
    public static int GPT2_SITE_HEAD() {
        return GPT2_SITE_HEAD;
    }
    private static final int GPT2_MAX_INTERVENTIONS = (int) 4096L;

    /**
     * {@snippet lang=c :
     * #define GPT2_MAX_INTERVENTIONS 4096
     * }
     */
    public static int GPT2_MAX_INTERVENTIONS() {
        return GPT2_MAX_INTERVENTIONS;
    }
    private static final int GPT2_MAX_ADAPTERS = (int) 16L;

    /**
     * {@snippet lang=c :
     * #define GPT2_MAX_ADAPTERS 16
     * }
     */
    public static int GPT2_MAX_ADAPTERS() {
        return GPT2_MAX_ADAPTERS;
    }
    private static final int GPT2_MATMUL_GGML = (int) 0L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_MATMUL_GGML = 0 }
     * }
     */
    public static int GPT2_MATMUL_GGML() {
        return GPT2_MATMUL_GGML;
    }
    private static final int GPT2_MATMUL_LIBGPT2 = (int) 1L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_MATMUL_LIBGPT2 = 1 }
     * }
     */
    public static int GPT2_MATMUL_LIBGPT2() {
        return GPT2_MATMUL_LIBGPT2;
    }
    private static final int GPT2_MATMUL_AUTO = (int) 2L;

    /**
     * {@snippet lang=c :
     * enum { GPT2_MATMUL_AUTO = 2 }
     * }
     */
    public static int GPT2_MATMUL_AUTO() {
        return GPT2_MATMUL_AUTO;
    }

    private static class gpt2_last_error {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_last_error");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * gpt2_last_error(void)
     * }
     */
    public static FunctionDescriptor gpt2_last_error$descriptor() {
        return gpt2_last_error.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * gpt2_last_error(void)
     * }
     */
    public static MethodHandle gpt2_last_error$handle() {
        return LibraryLookup.requireHandle(gpt2_last_error.HANDLE, "gpt2_last_error");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * gpt2_last_error(void)
     * }
     */
    public static MemorySegment gpt2_last_error$address() {
        return gpt2_last_error.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * gpt2_last_error(void)
     * }
     */
    public static MemorySegment gpt2_last_error() {
        var mh$ = LibraryLookup.requireHandle(gpt2_last_error.HANDLE, "gpt2_last_error");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_last_error");
            }
            return (MemorySegment) mh$.invokeExact();
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_last_status {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_last_status");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_last_status(void)
     * }
     */
    public static FunctionDescriptor gpt2_last_status$descriptor() {
        return gpt2_last_status.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_last_status(void)
     * }
     */
    public static MethodHandle gpt2_last_status$handle() {
        return LibraryLookup.requireHandle(gpt2_last_status.HANDLE, "gpt2_last_status");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_last_status(void)
     * }
     */
    public static MemorySegment gpt2_last_status$address() {
        return gpt2_last_status.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_last_status(void)
     * }
     */
    public static int gpt2_last_status() {
        var mh$ = LibraryLookup.requireHandle(gpt2_last_status.HANDLE, "gpt2_last_status");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_last_status");
            }
            return (int) mh$.invokeExact();
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_status_name {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_status_name");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * gpt2_status_name(gpt2_status status)
     * }
     */
    public static FunctionDescriptor gpt2_status_name$descriptor() {
        return gpt2_status_name.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * gpt2_status_name(gpt2_status status)
     * }
     */
    public static MethodHandle gpt2_status_name$handle() {
        return LibraryLookup.requireHandle(gpt2_status_name.HANDLE, "gpt2_status_name");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * gpt2_status_name(gpt2_status status)
     * }
     */
    public static MemorySegment gpt2_status_name$address() {
        return gpt2_status_name.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * gpt2_status_name(gpt2_status status)
     * }
     */
    public static MemorySegment gpt2_status_name(int status) {
        var mh$ = LibraryLookup.requireHandle(gpt2_status_name.HANDLE, "gpt2_status_name");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_status_name", status);
            }
            return (MemorySegment) mh$.invokeExact(status);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_api_version {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_api_version");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_api_version(void)
     * }
     */
    public static FunctionDescriptor gpt2_api_version$descriptor() {
        return gpt2_api_version.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_api_version(void)
     * }
     */
    public static MethodHandle gpt2_api_version$handle() {
        return LibraryLookup.requireHandle(gpt2_api_version.HANDLE, "gpt2_api_version");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_api_version(void)
     * }
     */
    public static MemorySegment gpt2_api_version$address() {
        return gpt2_api_version.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_api_version(void)
     * }
     */
    public static int gpt2_api_version() {
        var mh$ = LibraryLookup.requireHandle(gpt2_api_version.HANDLE, "gpt2_api_version");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_api_version");
            }
            return (int) mh$.invokeExact();
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_log_set {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(gpt2_h.C_POINTER, gpt2_h.C_POINTER, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_log_set");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void gpt2_log_set(gpt2_log_callback callback, void * user_data, int32_t min_level)
     * }
     */
    public static FunctionDescriptor gpt2_log_set$descriptor() {
        return gpt2_log_set.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void gpt2_log_set(gpt2_log_callback callback, void * user_data, int32_t min_level)
     * }
     */
    public static MethodHandle gpt2_log_set$handle() {
        return LibraryLookup.requireHandle(gpt2_log_set.HANDLE, "gpt2_log_set");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void gpt2_log_set(gpt2_log_callback callback, void * user_data, int32_t min_level)
     * }
     */
    public static MemorySegment gpt2_log_set$address() {
        return gpt2_log_set.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void gpt2_log_set(gpt2_log_callback callback, void * user_data, int32_t min_level)
     * }
     */
    public static void gpt2_log_set(MemorySegment callback, MemorySegment user_data, int min_level) {
        var mh$ = LibraryLookup.requireHandle(gpt2_log_set.HANDLE, "gpt2_log_set");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_log_set", callback, user_data, min_level);
            }
            mh$.invokeExact(callback, user_data, min_level);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_cpu_variant {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_cpu_variant");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * gpt2_cpu_variant(void)
     * }
     */
    public static FunctionDescriptor gpt2_cpu_variant$descriptor() {
        return gpt2_cpu_variant.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * gpt2_cpu_variant(void)
     * }
     */
    public static MethodHandle gpt2_cpu_variant$handle() {
        return LibraryLookup.requireHandle(gpt2_cpu_variant.HANDLE, "gpt2_cpu_variant");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * gpt2_cpu_variant(void)
     * }
     */
    public static MemorySegment gpt2_cpu_variant$address() {
        return gpt2_cpu_variant.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * gpt2_cpu_variant(void)
     * }
     */
    public static MemorySegment gpt2_cpu_variant() {
        var mh$ = LibraryLookup.requireHandle(gpt2_cpu_variant.HANDLE, "gpt2_cpu_variant");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_cpu_variant");
            }
            return (MemorySegment) mh$.invokeExact();
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_system_info {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_system_info");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * gpt2_system_info(void)
     * }
     */
    public static FunctionDescriptor gpt2_system_info$descriptor() {
        return gpt2_system_info.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * gpt2_system_info(void)
     * }
     */
    public static MethodHandle gpt2_system_info$handle() {
        return LibraryLookup.requireHandle(gpt2_system_info.HANDLE, "gpt2_system_info");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * gpt2_system_info(void)
     * }
     */
    public static MemorySegment gpt2_system_info$address() {
        return gpt2_system_info.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * gpt2_system_info(void)
     * }
     */
    public static MemorySegment gpt2_system_info() {
        var mh$ = LibraryLookup.requireHandle(gpt2_system_info.HANDLE, "gpt2_system_info");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_system_info");
            }
            return (MemorySegment) mh$.invokeExact();
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_default_params {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_model_params.layout());

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_default_params");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_model_params gpt2_model_default_params(void)
     * }
     */
    public static FunctionDescriptor gpt2_model_default_params$descriptor() {
        return gpt2_model_default_params.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_model_params gpt2_model_default_params(void)
     * }
     */
    public static MethodHandle gpt2_model_default_params$handle() {
        return LibraryLookup.requireHandle(gpt2_model_default_params.HANDLE, "gpt2_model_default_params");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_model_params gpt2_model_default_params(void)
     * }
     */
    public static MemorySegment gpt2_model_default_params$address() {
        return gpt2_model_default_params.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_model_params gpt2_model_default_params(void)
     * }
     */
    public static MemorySegment gpt2_model_default_params(SegmentAllocator allocator) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_default_params.HANDLE, "gpt2_model_default_params");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_default_params", allocator);
            }
            return (MemorySegment) mh$.invokeExact(allocator);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_load {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER, gpt2_h.C_POINTER, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_load");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_model * gpt2_model_load(const char * path, const gpt2_model_params * params)
     * }
     */
    public static FunctionDescriptor gpt2_model_load$descriptor() {
        return gpt2_model_load.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_model * gpt2_model_load(const char * path, const gpt2_model_params * params)
     * }
     */
    public static MethodHandle gpt2_model_load$handle() {
        return LibraryLookup.requireHandle(gpt2_model_load.HANDLE, "gpt2_model_load");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_model * gpt2_model_load(const char * path, const gpt2_model_params * params)
     * }
     */
    public static MemorySegment gpt2_model_load$address() {
        return gpt2_model_load.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_model * gpt2_model_load(const char * path, const gpt2_model_params * params)
     * }
     */
    public static MemorySegment gpt2_model_load(MemorySegment path, MemorySegment params) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_load.HANDLE, "gpt2_model_load");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_load", path, params);
            }
            return (MemorySegment) mh$.invokeExact(path, params);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_free");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void gpt2_model_free(gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_free$descriptor() {
        return gpt2_model_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void gpt2_model_free(gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_free$handle() {
        return LibraryLookup.requireHandle(gpt2_model_free.HANDLE, "gpt2_model_free");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void gpt2_model_free(gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_free$address() {
        return gpt2_model_free.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void gpt2_model_free(gpt2_model * model)
     * }
     */
    public static void gpt2_model_free(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_free.HANDLE, "gpt2_model_free");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_free", model);
            }
            mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_n_vocab {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_n_vocab");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_vocab(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_n_vocab$descriptor() {
        return gpt2_model_n_vocab.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_vocab(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_n_vocab$handle() {
        return LibraryLookup.requireHandle(gpt2_model_n_vocab.HANDLE, "gpt2_model_n_vocab");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_vocab(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_n_vocab$address() {
        return gpt2_model_n_vocab.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_model_n_vocab(const gpt2_model * model)
     * }
     */
    public static int gpt2_model_n_vocab(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_n_vocab.HANDLE, "gpt2_model_n_vocab");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_n_vocab", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_n_ctx_train {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_n_ctx_train");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_ctx_train(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_n_ctx_train$descriptor() {
        return gpt2_model_n_ctx_train.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_ctx_train(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_n_ctx_train$handle() {
        return LibraryLookup.requireHandle(gpt2_model_n_ctx_train.HANDLE, "gpt2_model_n_ctx_train");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_ctx_train(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_n_ctx_train$address() {
        return gpt2_model_n_ctx_train.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_model_n_ctx_train(const gpt2_model * model)
     * }
     */
    public static int gpt2_model_n_ctx_train(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_n_ctx_train.HANDLE, "gpt2_model_n_ctx_train");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_n_ctx_train", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_n_embd {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_n_embd");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_embd(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_n_embd$descriptor() {
        return gpt2_model_n_embd.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_embd(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_n_embd$handle() {
        return LibraryLookup.requireHandle(gpt2_model_n_embd.HANDLE, "gpt2_model_n_embd");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_embd(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_n_embd$address() {
        return gpt2_model_n_embd.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_model_n_embd(const gpt2_model * model)
     * }
     */
    public static int gpt2_model_n_embd(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_n_embd.HANDLE, "gpt2_model_n_embd");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_n_embd", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_n_head {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_n_head");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_head(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_n_head$descriptor() {
        return gpt2_model_n_head.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_head(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_n_head$handle() {
        return LibraryLookup.requireHandle(gpt2_model_n_head.HANDLE, "gpt2_model_n_head");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_head(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_n_head$address() {
        return gpt2_model_n_head.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_model_n_head(const gpt2_model * model)
     * }
     */
    public static int gpt2_model_n_head(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_n_head.HANDLE, "gpt2_model_n_head");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_n_head", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_n_layer {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_n_layer");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_layer(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_n_layer$descriptor() {
        return gpt2_model_n_layer.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_layer(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_n_layer$handle() {
        return LibraryLookup.requireHandle(gpt2_model_n_layer.HANDLE, "gpt2_model_n_layer");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_layer(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_n_layer$address() {
        return gpt2_model_n_layer.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_model_n_layer(const gpt2_model * model)
     * }
     */
    public static int gpt2_model_n_layer(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_n_layer.HANDLE, "gpt2_model_n_layer");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_n_layer", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_n_ff {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_n_ff");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_ff(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_n_ff$descriptor() {
        return gpt2_model_n_ff.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_ff(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_n_ff$handle() {
        return LibraryLookup.requireHandle(gpt2_model_n_ff.HANDLE, "gpt2_model_n_ff");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_ff(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_n_ff$address() {
        return gpt2_model_n_ff.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_model_n_ff(const gpt2_model * model)
     * }
     */
    public static int gpt2_model_n_ff(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_n_ff.HANDLE, "gpt2_model_n_ff");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_n_ff", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_n_extra_matrices {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_n_extra_matrices");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_extra_matrices(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_n_extra_matrices$descriptor() {
        return gpt2_model_n_extra_matrices.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_extra_matrices(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_n_extra_matrices$handle() {
        return LibraryLookup.requireHandle(gpt2_model_n_extra_matrices.HANDLE, "gpt2_model_n_extra_matrices");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_model_n_extra_matrices(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_n_extra_matrices$address() {
        return gpt2_model_n_extra_matrices.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_model_n_extra_matrices(const gpt2_model * model)
     * }
     */
    public static int gpt2_model_n_extra_matrices(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_n_extra_matrices.HANDLE, "gpt2_model_n_extra_matrices");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_n_extra_matrices", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_norm_eps {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_FLOAT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_norm_eps");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * float gpt2_model_norm_eps(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_norm_eps$descriptor() {
        return gpt2_model_norm_eps.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * float gpt2_model_norm_eps(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_norm_eps$handle() {
        return LibraryLookup.requireHandle(gpt2_model_norm_eps.HANDLE, "gpt2_model_norm_eps");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * float gpt2_model_norm_eps(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_norm_eps$address() {
        return gpt2_model_norm_eps.ADDR;
    }

    /**
     * {@snippet lang=c :
     * float gpt2_model_norm_eps(const gpt2_model * model)
     * }
     */
    public static float gpt2_model_norm_eps(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_norm_eps.HANDLE, "gpt2_model_norm_eps");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_norm_eps", model);
            }
            return (float) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_weight_type {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_weight_type");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_model_weight_type(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_weight_type$descriptor() {
        return gpt2_model_weight_type.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_model_weight_type(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_weight_type$handle() {
        return LibraryLookup.requireHandle(gpt2_model_weight_type.HANDLE, "gpt2_model_weight_type");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_model_weight_type(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_weight_type$address() {
        return gpt2_model_weight_type.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_model_weight_type(const gpt2_model * model)
     * }
     */
    public static int gpt2_model_weight_type(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_weight_type.HANDLE, "gpt2_model_weight_type");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_weight_type", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_output_tied {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_output_tied");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_model_output_tied(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_output_tied$descriptor() {
        return gpt2_model_output_tied.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_model_output_tied(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_output_tied$handle() {
        return LibraryLookup.requireHandle(gpt2_model_output_tied.HANDLE, "gpt2_model_output_tied");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_model_output_tied(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_output_tied$address() {
        return gpt2_model_output_tied.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_model_output_tied(const gpt2_model * model)
     * }
     */
    public static int gpt2_model_output_tied(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_output_tied.HANDLE, "gpt2_model_output_tied");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_output_tied", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_n_params {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_LONG_LONG, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_n_params");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int64_t gpt2_model_n_params(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_n_params$descriptor() {
        return gpt2_model_n_params.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int64_t gpt2_model_n_params(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_n_params$handle() {
        return LibraryLookup.requireHandle(gpt2_model_n_params.HANDLE, "gpt2_model_n_params");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int64_t gpt2_model_n_params(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_n_params$address() {
        return gpt2_model_n_params.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int64_t gpt2_model_n_params(const gpt2_model * model)
     * }
     */
    public static long gpt2_model_n_params(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_n_params.HANDLE, "gpt2_model_n_params");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_n_params", model);
            }
            return (long) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_size_bytes {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_LONG_LONG, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_size_bytes");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int64_t gpt2_model_size_bytes(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_size_bytes$descriptor() {
        return gpt2_model_size_bytes.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int64_t gpt2_model_size_bytes(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_size_bytes$handle() {
        return LibraryLookup.requireHandle(gpt2_model_size_bytes.HANDLE, "gpt2_model_size_bytes");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int64_t gpt2_model_size_bytes(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_size_bytes$address() {
        return gpt2_model_size_bytes.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int64_t gpt2_model_size_bytes(const gpt2_model * model)
     * }
     */
    public static long gpt2_model_size_bytes(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_size_bytes.HANDLE, "gpt2_model_size_bytes");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_size_bytes", model);
            }
            return (long) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_backend_name {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_backend_name");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * gpt2_model_backend_name(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_backend_name$descriptor() {
        return gpt2_model_backend_name.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * gpt2_model_backend_name(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_backend_name$handle() {
        return LibraryLookup.requireHandle(gpt2_model_backend_name.HANDLE, "gpt2_model_backend_name");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * gpt2_model_backend_name(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_backend_name$address() {
        return gpt2_model_backend_name.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * gpt2_model_backend_name(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_backend_name(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_backend_name.HANDLE, "gpt2_model_backend_name");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_backend_name", model);
            }
            return (MemorySegment) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_name {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_name");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * gpt2_model_name(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_model_name$descriptor() {
        return gpt2_model_name.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * gpt2_model_name(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_model_name$handle() {
        return LibraryLookup.requireHandle(gpt2_model_name.HANDLE, "gpt2_model_name");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * gpt2_model_name(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_name$address() {
        return gpt2_model_name.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * gpt2_model_name(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_model_name(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_name.HANDLE, "gpt2_model_name");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_name", model);
            }
            return (MemorySegment) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_token_embeddings {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_INT, gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_token_embeddings");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_model_token_embeddings(const gpt2_model * model, int32_t first, int32_t n, float * dst)
     * }
     */
    public static FunctionDescriptor gpt2_model_token_embeddings$descriptor() {
        return gpt2_model_token_embeddings.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_model_token_embeddings(const gpt2_model * model, int32_t first, int32_t n, float * dst)
     * }
     */
    public static MethodHandle gpt2_model_token_embeddings$handle() {
        return LibraryLookup.requireHandle(gpt2_model_token_embeddings.HANDLE, "gpt2_model_token_embeddings");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_model_token_embeddings(const gpt2_model * model, int32_t first, int32_t n, float * dst)
     * }
     */
    public static MemorySegment gpt2_model_token_embeddings$address() {
        return gpt2_model_token_embeddings.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_model_token_embeddings(const gpt2_model * model, int32_t first, int32_t n, float * dst)
     * }
     */
    public static int gpt2_model_token_embeddings(MemorySegment model, int first, int n, MemorySegment dst) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_token_embeddings.HANDLE, "gpt2_model_token_embeddings");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_token_embeddings", model, first, n, dst);
            }
            return (int) mh$.invokeExact(model, first, n, dst);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_model_unembed {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_POINTER, gpt2_h.C_INT, gpt2_h.C_CHAR, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_model_unembed");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_model_unembed(const gpt2_model * model, const float * hidden, int32_t n, uint8_t apply_final_norm, float * out)
     * }
     */
    public static FunctionDescriptor gpt2_model_unembed$descriptor() {
        return gpt2_model_unembed.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_model_unembed(const gpt2_model * model, const float * hidden, int32_t n, uint8_t apply_final_norm, float * out)
     * }
     */
    public static MethodHandle gpt2_model_unembed$handle() {
        return LibraryLookup.requireHandle(gpt2_model_unembed.HANDLE, "gpt2_model_unembed");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_model_unembed(const gpt2_model * model, const float * hidden, int32_t n, uint8_t apply_final_norm, float * out)
     * }
     */
    public static MemorySegment gpt2_model_unembed$address() {
        return gpt2_model_unembed.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_model_unembed(const gpt2_model * model, const float * hidden, int32_t n, uint8_t apply_final_norm, float * out)
     * }
     */
    public static int gpt2_model_unembed(MemorySegment model, MemorySegment hidden, int n, byte apply_final_norm, MemorySegment out) {
        var mh$ = LibraryLookup.requireHandle(gpt2_model_unembed.HANDLE, "gpt2_model_unembed");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_model_unembed", model, hidden, n, apply_final_norm, out);
            }
            return (int) mh$.invokeExact(model, hidden, n, apply_final_norm, out);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_token_text {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER, gpt2_h.C_POINTER, gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_token_text");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * gpt2_token_text(const gpt2_model * model, int32_t id, int32_t * len)
     * }
     */
    public static FunctionDescriptor gpt2_token_text$descriptor() {
        return gpt2_token_text.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * gpt2_token_text(const gpt2_model * model, int32_t id, int32_t * len)
     * }
     */
    public static MethodHandle gpt2_token_text$handle() {
        return LibraryLookup.requireHandle(gpt2_token_text.HANDLE, "gpt2_token_text");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * gpt2_token_text(const gpt2_model * model, int32_t id, int32_t * len)
     * }
     */
    public static MemorySegment gpt2_token_text$address() {
        return gpt2_token_text.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * gpt2_token_text(const gpt2_model * model, int32_t id, int32_t * len)
     * }
     */
    public static MemorySegment gpt2_token_text(MemorySegment model, int id, MemorySegment len) {
        var mh$ = LibraryLookup.requireHandle(gpt2_token_text.HANDLE, "gpt2_token_text");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_token_text", model, id, len);
            }
            return (MemorySegment) mh$.invokeExact(model, id, len);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_token_bytes {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_token_bytes");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_token_bytes(const gpt2_model * model, int32_t id, uint8_t * buf, int32_t cap)
     * }
     */
    public static FunctionDescriptor gpt2_token_bytes$descriptor() {
        return gpt2_token_bytes.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_token_bytes(const gpt2_model * model, int32_t id, uint8_t * buf, int32_t cap)
     * }
     */
    public static MethodHandle gpt2_token_bytes$handle() {
        return LibraryLookup.requireHandle(gpt2_token_bytes.HANDLE, "gpt2_token_bytes");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_token_bytes(const gpt2_model * model, int32_t id, uint8_t * buf, int32_t cap)
     * }
     */
    public static MemorySegment gpt2_token_bytes$address() {
        return gpt2_token_bytes.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_token_bytes(const gpt2_model * model, int32_t id, uint8_t * buf, int32_t cap)
     * }
     */
    public static int gpt2_token_bytes(MemorySegment model, int id, MemorySegment buf, int cap) {
        var mh$ = LibraryLookup.requireHandle(gpt2_token_bytes.HANDLE, "gpt2_token_bytes");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_token_bytes", model, id, buf, cap);
            }
            return (int) mh$.invokeExact(model, id, buf, cap);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_token_type {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_token_type");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_token_type(const gpt2_model * model, int32_t id)
     * }
     */
    public static FunctionDescriptor gpt2_token_type$descriptor() {
        return gpt2_token_type.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_token_type(const gpt2_model * model, int32_t id)
     * }
     */
    public static MethodHandle gpt2_token_type$handle() {
        return LibraryLookup.requireHandle(gpt2_token_type.HANDLE, "gpt2_token_type");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_token_type(const gpt2_model * model, int32_t id)
     * }
     */
    public static MemorySegment gpt2_token_type$address() {
        return gpt2_token_type.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_token_type(const gpt2_model * model, int32_t id)
     * }
     */
    public static int gpt2_token_type(MemorySegment model, int id) {
        var mh$ = LibraryLookup.requireHandle(gpt2_token_type.HANDLE, "gpt2_token_type");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_token_type", model, id);
            }
            return (int) mh$.invokeExact(model, id);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_n_merges {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_n_merges");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_n_merges(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_n_merges$descriptor() {
        return gpt2_n_merges.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_n_merges(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_n_merges$handle() {
        return LibraryLookup.requireHandle(gpt2_n_merges.HANDLE, "gpt2_n_merges");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_n_merges(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_n_merges$address() {
        return gpt2_n_merges.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_n_merges(const gpt2_model * model)
     * }
     */
    public static int gpt2_n_merges(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_n_merges.HANDLE, "gpt2_n_merges");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_n_merges", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_merge {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER, gpt2_h.C_POINTER, gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_merge");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * gpt2_merge(const gpt2_model * model, int32_t i, int32_t * len)
     * }
     */
    public static FunctionDescriptor gpt2_merge$descriptor() {
        return gpt2_merge.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * gpt2_merge(const gpt2_model * model, int32_t i, int32_t * len)
     * }
     */
    public static MethodHandle gpt2_merge$handle() {
        return LibraryLookup.requireHandle(gpt2_merge.HANDLE, "gpt2_merge");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * gpt2_merge(const gpt2_model * model, int32_t i, int32_t * len)
     * }
     */
    public static MemorySegment gpt2_merge$address() {
        return gpt2_merge.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * gpt2_merge(const gpt2_model * model, int32_t i, int32_t * len)
     * }
     */
    public static MemorySegment gpt2_merge(MemorySegment model, int i, MemorySegment len) {
        var mh$ = LibraryLookup.requireHandle(gpt2_merge.HANDLE, "gpt2_merge");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_merge", model, i, len);
            }
            return (MemorySegment) mh$.invokeExact(model, i, len);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_token_bos {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_token_bos");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_token_bos(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_token_bos$descriptor() {
        return gpt2_token_bos.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_token_bos(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_token_bos$handle() {
        return LibraryLookup.requireHandle(gpt2_token_bos.HANDLE, "gpt2_token_bos");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_token_bos(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_token_bos$address() {
        return gpt2_token_bos.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_token_bos(const gpt2_model * model)
     * }
     */
    public static int gpt2_token_bos(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_token_bos.HANDLE, "gpt2_token_bos");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_token_bos", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_token_eos {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_token_eos");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_token_eos(const gpt2_model * model)
     * }
     */
    public static FunctionDescriptor gpt2_token_eos$descriptor() {
        return gpt2_token_eos.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_token_eos(const gpt2_model * model)
     * }
     */
    public static MethodHandle gpt2_token_eos$handle() {
        return LibraryLookup.requireHandle(gpt2_token_eos.HANDLE, "gpt2_token_eos");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_token_eos(const gpt2_model * model)
     * }
     */
    public static MemorySegment gpt2_token_eos$address() {
        return gpt2_token_eos.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_token_eos(const gpt2_model * model)
     * }
     */
    public static int gpt2_token_eos(MemorySegment model) {
        var mh$ = LibraryLookup.requireHandle(gpt2_token_eos.HANDLE, "gpt2_token_eos");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_token_eos", model);
            }
            return (int) mh$.invokeExact(model);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_session_default_params {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_session_params.layout());

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_session_default_params");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_session_params gpt2_session_default_params(void)
     * }
     */
    public static FunctionDescriptor gpt2_session_default_params$descriptor() {
        return gpt2_session_default_params.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_session_params gpt2_session_default_params(void)
     * }
     */
    public static MethodHandle gpt2_session_default_params$handle() {
        return LibraryLookup.requireHandle(gpt2_session_default_params.HANDLE, "gpt2_session_default_params");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_session_params gpt2_session_default_params(void)
     * }
     */
    public static MemorySegment gpt2_session_default_params$address() {
        return gpt2_session_default_params.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_session_params gpt2_session_default_params(void)
     * }
     */
    public static MemorySegment gpt2_session_default_params(SegmentAllocator allocator) {
        var mh$ = LibraryLookup.requireHandle(gpt2_session_default_params.HANDLE, "gpt2_session_default_params");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_session_default_params", allocator);
            }
            return (MemorySegment) mh$.invokeExact(allocator);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_session_new {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER, gpt2_h.C_POINTER, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_session_new");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_session * gpt2_session_new(gpt2_model * model, const gpt2_session_params * params)
     * }
     */
    public static FunctionDescriptor gpt2_session_new$descriptor() {
        return gpt2_session_new.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_session * gpt2_session_new(gpt2_model * model, const gpt2_session_params * params)
     * }
     */
    public static MethodHandle gpt2_session_new$handle() {
        return LibraryLookup.requireHandle(gpt2_session_new.HANDLE, "gpt2_session_new");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_session * gpt2_session_new(gpt2_model * model, const gpt2_session_params * params)
     * }
     */
    public static MemorySegment gpt2_session_new$address() {
        return gpt2_session_new.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_session * gpt2_session_new(gpt2_model * model, const gpt2_session_params * params)
     * }
     */
    public static MemorySegment gpt2_session_new(MemorySegment model, MemorySegment params) {
        var mh$ = LibraryLookup.requireHandle(gpt2_session_new.HANDLE, "gpt2_session_new");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_session_new", model, params);
            }
            return (MemorySegment) mh$.invokeExact(model, params);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_session_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_session_free");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void gpt2_session_free(gpt2_session * session)
     * }
     */
    public static FunctionDescriptor gpt2_session_free$descriptor() {
        return gpt2_session_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void gpt2_session_free(gpt2_session * session)
     * }
     */
    public static MethodHandle gpt2_session_free$handle() {
        return LibraryLookup.requireHandle(gpt2_session_free.HANDLE, "gpt2_session_free");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void gpt2_session_free(gpt2_session * session)
     * }
     */
    public static MemorySegment gpt2_session_free$address() {
        return gpt2_session_free.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void gpt2_session_free(gpt2_session * session)
     * }
     */
    public static void gpt2_session_free(MemorySegment session) {
        var mh$ = LibraryLookup.requireHandle(gpt2_session_free.HANDLE, "gpt2_session_free");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_session_free", session);
            }
            mh$.invokeExact(session);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_session_get_params {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_session_params.layout(), gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_session_get_params");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_session_params gpt2_session_get_params(const gpt2_session * session)
     * }
     */
    public static FunctionDescriptor gpt2_session_get_params$descriptor() {
        return gpt2_session_get_params.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_session_params gpt2_session_get_params(const gpt2_session * session)
     * }
     */
    public static MethodHandle gpt2_session_get_params$handle() {
        return LibraryLookup.requireHandle(gpt2_session_get_params.HANDLE, "gpt2_session_get_params");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_session_params gpt2_session_get_params(const gpt2_session * session)
     * }
     */
    public static MemorySegment gpt2_session_get_params$address() {
        return gpt2_session_get_params.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_session_params gpt2_session_get_params(const gpt2_session * session)
     * }
     */
    public static MemorySegment gpt2_session_get_params(SegmentAllocator allocator, MemorySegment session) {
        var mh$ = LibraryLookup.requireHandle(gpt2_session_get_params.HANDLE, "gpt2_session_get_params");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_session_get_params", allocator, session);
            }
            return (MemorySegment) mh$.invokeExact(allocator, session);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_session_set_threads {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_session_set_threads");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_threads(gpt2_session * session, int32_t n_threads)
     * }
     */
    public static FunctionDescriptor gpt2_session_set_threads$descriptor() {
        return gpt2_session_set_threads.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_threads(gpt2_session * session, int32_t n_threads)
     * }
     */
    public static MethodHandle gpt2_session_set_threads$handle() {
        return LibraryLookup.requireHandle(gpt2_session_set_threads.HANDLE, "gpt2_session_set_threads");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_threads(gpt2_session * session, int32_t n_threads)
     * }
     */
    public static MemorySegment gpt2_session_set_threads$address() {
        return gpt2_session_set_threads.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_threads(gpt2_session * session, int32_t n_threads)
     * }
     */
    public static int gpt2_session_set_threads(MemorySegment session, int n_threads) {
        var mh$ = LibraryLookup.requireHandle(gpt2_session_set_threads.HANDLE, "gpt2_session_set_threads");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_session_set_threads", session, n_threads);
            }
            return (int) mh$.invokeExact(session, n_threads);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_eval {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_eval");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_eval(gpt2_session * session, const gpt2_batch * batch)
     * }
     */
    public static FunctionDescriptor gpt2_eval$descriptor() {
        return gpt2_eval.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_eval(gpt2_session * session, const gpt2_batch * batch)
     * }
     */
    public static MethodHandle gpt2_eval$handle() {
        return LibraryLookup.requireHandle(gpt2_eval.HANDLE, "gpt2_eval");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_eval(gpt2_session * session, const gpt2_batch * batch)
     * }
     */
    public static MemorySegment gpt2_eval$address() {
        return gpt2_eval.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_eval(gpt2_session * session, const gpt2_batch * batch)
     * }
     */
    public static int gpt2_eval(MemorySegment session, MemorySegment batch) {
        var mh$ = LibraryLookup.requireHandle(gpt2_eval.HANDLE, "gpt2_eval");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_eval", session, batch);
            }
            return (int) mh$.invokeExact(session, batch);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_n_outputs {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_n_outputs");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_n_outputs(const gpt2_session * session)
     * }
     */
    public static FunctionDescriptor gpt2_n_outputs$descriptor() {
        return gpt2_n_outputs.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_n_outputs(const gpt2_session * session)
     * }
     */
    public static MethodHandle gpt2_n_outputs$handle() {
        return LibraryLookup.requireHandle(gpt2_n_outputs.HANDLE, "gpt2_n_outputs");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_n_outputs(const gpt2_session * session)
     * }
     */
    public static MemorySegment gpt2_n_outputs$address() {
        return gpt2_n_outputs.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_n_outputs(const gpt2_session * session)
     * }
     */
    public static int gpt2_n_outputs(MemorySegment session) {
        var mh$ = LibraryLookup.requireHandle(gpt2_n_outputs.HANDLE, "gpt2_n_outputs");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_n_outputs", session);
            }
            return (int) mh$.invokeExact(session);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_get_logits {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_get_logits");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const float * gpt2_get_logits(const gpt2_session * session)
     * }
     */
    public static FunctionDescriptor gpt2_get_logits$descriptor() {
        return gpt2_get_logits.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const float * gpt2_get_logits(const gpt2_session * session)
     * }
     */
    public static MethodHandle gpt2_get_logits$handle() {
        return LibraryLookup.requireHandle(gpt2_get_logits.HANDLE, "gpt2_get_logits");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const float * gpt2_get_logits(const gpt2_session * session)
     * }
     */
    public static MemorySegment gpt2_get_logits$address() {
        return gpt2_get_logits.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const float * gpt2_get_logits(const gpt2_session * session)
     * }
     */
    public static MemorySegment gpt2_get_logits(MemorySegment session) {
        var mh$ = LibraryLookup.requireHandle(gpt2_get_logits.HANDLE, "gpt2_get_logits");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_get_logits", session);
            }
            return (MemorySegment) mh$.invokeExact(session);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_output_token_index {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_output_token_index");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_output_token_index(const gpt2_session * session, int32_t i)
     * }
     */
    public static FunctionDescriptor gpt2_output_token_index$descriptor() {
        return gpt2_output_token_index.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_output_token_index(const gpt2_session * session, int32_t i)
     * }
     */
    public static MethodHandle gpt2_output_token_index$handle() {
        return LibraryLookup.requireHandle(gpt2_output_token_index.HANDLE, "gpt2_output_token_index");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_output_token_index(const gpt2_session * session, int32_t i)
     * }
     */
    public static MemorySegment gpt2_output_token_index$address() {
        return gpt2_output_token_index.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_output_token_index(const gpt2_session * session, int32_t i)
     * }
     */
    public static int gpt2_output_token_index(MemorySegment session, int i) {
        var mh$ = LibraryLookup.requireHandle(gpt2_output_token_index.HANDLE, "gpt2_output_token_index");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_output_token_index", session, i);
            }
            return (int) mh$.invokeExact(session, i);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_seq_length {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_seq_length");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_seq_length(const gpt2_session * session, int32_t seq_id)
     * }
     */
    public static FunctionDescriptor gpt2_seq_length$descriptor() {
        return gpt2_seq_length.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_seq_length(const gpt2_session * session, int32_t seq_id)
     * }
     */
    public static MethodHandle gpt2_seq_length$handle() {
        return LibraryLookup.requireHandle(gpt2_seq_length.HANDLE, "gpt2_seq_length");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_seq_length(const gpt2_session * session, int32_t seq_id)
     * }
     */
    public static MemorySegment gpt2_seq_length$address() {
        return gpt2_seq_length.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_seq_length(const gpt2_session * session, int32_t seq_id)
     * }
     */
    public static int gpt2_seq_length(MemorySegment session, int seq_id) {
        var mh$ = LibraryLookup.requireHandle(gpt2_seq_length.HANDLE, "gpt2_seq_length");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_seq_length", session, seq_id);
            }
            return (int) mh$.invokeExact(session, seq_id);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_seq_copy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_INT, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_seq_copy");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_copy(gpt2_session * session, int32_t src, int32_t dst)
     * }
     */
    public static FunctionDescriptor gpt2_seq_copy$descriptor() {
        return gpt2_seq_copy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_copy(gpt2_session * session, int32_t src, int32_t dst)
     * }
     */
    public static MethodHandle gpt2_seq_copy$handle() {
        return LibraryLookup.requireHandle(gpt2_seq_copy.HANDLE, "gpt2_seq_copy");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_copy(gpt2_session * session, int32_t src, int32_t dst)
     * }
     */
    public static MemorySegment gpt2_seq_copy$address() {
        return gpt2_seq_copy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_copy(gpt2_session * session, int32_t src, int32_t dst)
     * }
     */
    public static int gpt2_seq_copy(MemorySegment session, int src, int dst) {
        var mh$ = LibraryLookup.requireHandle(gpt2_seq_copy.HANDLE, "gpt2_seq_copy");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_seq_copy", session, src, dst);
            }
            return (int) mh$.invokeExact(session, src, dst);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_seq_clear {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_seq_clear");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_clear(gpt2_session * session, int32_t seq_id)
     * }
     */
    public static FunctionDescriptor gpt2_seq_clear$descriptor() {
        return gpt2_seq_clear.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_clear(gpt2_session * session, int32_t seq_id)
     * }
     */
    public static MethodHandle gpt2_seq_clear$handle() {
        return LibraryLookup.requireHandle(gpt2_seq_clear.HANDLE, "gpt2_seq_clear");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_clear(gpt2_session * session, int32_t seq_id)
     * }
     */
    public static MemorySegment gpt2_seq_clear$address() {
        return gpt2_seq_clear.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_clear(gpt2_session * session, int32_t seq_id)
     * }
     */
    public static int gpt2_seq_clear(MemorySegment session, int seq_id) {
        var mh$ = LibraryLookup.requireHandle(gpt2_seq_clear.HANDLE, "gpt2_seq_clear");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_seq_clear", session, seq_id);
            }
            return (int) mh$.invokeExact(session, seq_id);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_seq_truncate {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_INT, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_seq_truncate");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_truncate(gpt2_session * session, int32_t seq_id, int32_t n_keep)
     * }
     */
    public static FunctionDescriptor gpt2_seq_truncate$descriptor() {
        return gpt2_seq_truncate.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_truncate(gpt2_session * session, int32_t seq_id, int32_t n_keep)
     * }
     */
    public static MethodHandle gpt2_seq_truncate$handle() {
        return LibraryLookup.requireHandle(gpt2_seq_truncate.HANDLE, "gpt2_seq_truncate");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_truncate(gpt2_session * session, int32_t seq_id, int32_t n_keep)
     * }
     */
    public static MemorySegment gpt2_seq_truncate$address() {
        return gpt2_seq_truncate.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_seq_truncate(gpt2_session * session, int32_t seq_id, int32_t n_keep)
     * }
     */
    public static int gpt2_seq_truncate(MemorySegment session, int seq_id, int n_keep) {
        var mh$ = LibraryLookup.requireHandle(gpt2_seq_truncate.HANDLE, "gpt2_seq_truncate");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_seq_truncate", session, seq_id, n_keep);
            }
            return (int) mh$.invokeExact(session, seq_id, n_keep);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_kv_used_cells {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_kv_used_cells");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_kv_used_cells(const gpt2_session * session)
     * }
     */
    public static FunctionDescriptor gpt2_kv_used_cells$descriptor() {
        return gpt2_kv_used_cells.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_kv_used_cells(const gpt2_session * session)
     * }
     */
    public static MethodHandle gpt2_kv_used_cells$handle() {
        return LibraryLookup.requireHandle(gpt2_kv_used_cells.HANDLE, "gpt2_kv_used_cells");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_kv_used_cells(const gpt2_session * session)
     * }
     */
    public static MemorySegment gpt2_kv_used_cells$address() {
        return gpt2_kv_used_cells.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_kv_used_cells(const gpt2_session * session)
     * }
     */
    public static int gpt2_kv_used_cells(MemorySegment session) {
        var mh$ = LibraryLookup.requireHandle(gpt2_kv_used_cells.HANDLE, "gpt2_kv_used_cells");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_kv_used_cells", session);
            }
            return (int) mh$.invokeExact(session);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_get_attention {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_LONG_LONG, gpt2_h.C_POINTER, gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_LONG_LONG);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_get_attention");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int64_t gpt2_get_attention(const gpt2_session * session, int32_t il, float * dst, int64_t cap)
     * }
     */
    public static FunctionDescriptor gpt2_get_attention$descriptor() {
        return gpt2_get_attention.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int64_t gpt2_get_attention(const gpt2_session * session, int32_t il, float * dst, int64_t cap)
     * }
     */
    public static MethodHandle gpt2_get_attention$handle() {
        return LibraryLookup.requireHandle(gpt2_get_attention.HANDLE, "gpt2_get_attention");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int64_t gpt2_get_attention(const gpt2_session * session, int32_t il, float * dst, int64_t cap)
     * }
     */
    public static MemorySegment gpt2_get_attention$address() {
        return gpt2_get_attention.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int64_t gpt2_get_attention(const gpt2_session * session, int32_t il, float * dst, int64_t cap)
     * }
     */
    public static long gpt2_get_attention(MemorySegment session, int il, MemorySegment dst, long cap) {
        var mh$ = LibraryLookup.requireHandle(gpt2_get_attention.HANDLE, "gpt2_get_attention");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_get_attention", session, il, dst, cap);
            }
            return (long) mh$.invokeExact(session, il, dst, cap);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_attention_n_keys {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_attention_n_keys");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_attention_n_keys(const gpt2_session * session)
     * }
     */
    public static FunctionDescriptor gpt2_attention_n_keys$descriptor() {
        return gpt2_attention_n_keys.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_attention_n_keys(const gpt2_session * session)
     * }
     */
    public static MethodHandle gpt2_attention_n_keys$handle() {
        return LibraryLookup.requireHandle(gpt2_attention_n_keys.HANDLE, "gpt2_attention_n_keys");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_attention_n_keys(const gpt2_session * session)
     * }
     */
    public static MemorySegment gpt2_attention_n_keys$address() {
        return gpt2_attention_n_keys.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_attention_n_keys(const gpt2_session * session)
     * }
     */
    public static int gpt2_attention_n_keys(MemorySegment session) {
        var mh$ = LibraryLookup.requireHandle(gpt2_attention_n_keys.HANDLE, "gpt2_attention_n_keys");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_attention_n_keys", session);
            }
            return (int) mh$.invokeExact(session);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_get_hidden {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_LONG_LONG, gpt2_h.C_POINTER, gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_LONG_LONG);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_get_hidden");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int64_t gpt2_get_hidden(const gpt2_session * session, int32_t ih, float * dst, int64_t cap)
     * }
     */
    public static FunctionDescriptor gpt2_get_hidden$descriptor() {
        return gpt2_get_hidden.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int64_t gpt2_get_hidden(const gpt2_session * session, int32_t ih, float * dst, int64_t cap)
     * }
     */
    public static MethodHandle gpt2_get_hidden$handle() {
        return LibraryLookup.requireHandle(gpt2_get_hidden.HANDLE, "gpt2_get_hidden");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int64_t gpt2_get_hidden(const gpt2_session * session, int32_t ih, float * dst, int64_t cap)
     * }
     */
    public static MemorySegment gpt2_get_hidden$address() {
        return gpt2_get_hidden.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int64_t gpt2_get_hidden(const gpt2_session * session, int32_t ih, float * dst, int64_t cap)
     * }
     */
    public static long gpt2_get_hidden(MemorySegment session, int ih, MemorySegment dst, long cap) {
        var mh$ = LibraryLookup.requireHandle(gpt2_get_hidden.HANDLE, "gpt2_get_hidden");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_get_hidden", session, ih, dst, cap);
            }
            return (long) mh$.invokeExact(session, ih, dst, cap);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_get_head_outputs {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_LONG_LONG, gpt2_h.C_POINTER, gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_LONG_LONG);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_get_head_outputs");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int64_t gpt2_get_head_outputs(const gpt2_session * session, int32_t il, float * dst, int64_t cap)
     * }
     */
    public static FunctionDescriptor gpt2_get_head_outputs$descriptor() {
        return gpt2_get_head_outputs.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int64_t gpt2_get_head_outputs(const gpt2_session * session, int32_t il, float * dst, int64_t cap)
     * }
     */
    public static MethodHandle gpt2_get_head_outputs$handle() {
        return LibraryLookup.requireHandle(gpt2_get_head_outputs.HANDLE, "gpt2_get_head_outputs");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int64_t gpt2_get_head_outputs(const gpt2_session * session, int32_t il, float * dst, int64_t cap)
     * }
     */
    public static MemorySegment gpt2_get_head_outputs$address() {
        return gpt2_get_head_outputs.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int64_t gpt2_get_head_outputs(const gpt2_session * session, int32_t il, float * dst, int64_t cap)
     * }
     */
    public static long gpt2_get_head_outputs(MemorySegment session, int il, MemorySegment dst, long cap) {
        var mh$ = LibraryLookup.requireHandle(gpt2_get_head_outputs.HANDLE, "gpt2_get_head_outputs");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_get_head_outputs", session, il, dst, cap);
            }
            return (long) mh$.invokeExact(session, il, dst, cap);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_session_set_interventions {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_POINTER, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_session_set_interventions");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_interventions(gpt2_session * session, const gpt2_intervention * list, int32_t n)
     * }
     */
    public static FunctionDescriptor gpt2_session_set_interventions$descriptor() {
        return gpt2_session_set_interventions.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_interventions(gpt2_session * session, const gpt2_intervention * list, int32_t n)
     * }
     */
    public static MethodHandle gpt2_session_set_interventions$handle() {
        return LibraryLookup.requireHandle(gpt2_session_set_interventions.HANDLE, "gpt2_session_set_interventions");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_interventions(gpt2_session * session, const gpt2_intervention * list, int32_t n)
     * }
     */
    public static MemorySegment gpt2_session_set_interventions$address() {
        return gpt2_session_set_interventions.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_interventions(gpt2_session * session, const gpt2_intervention * list, int32_t n)
     * }
     */
    public static int gpt2_session_set_interventions(MemorySegment session, MemorySegment list, int n) {
        var mh$ = LibraryLookup.requireHandle(gpt2_session_set_interventions.HANDLE, "gpt2_session_set_interventions");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_session_set_interventions", session, list, n);
            }
            return (int) mh$.invokeExact(session, list, n);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_adapter_load {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER, gpt2_h.C_POINTER, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_adapter_load");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_adapter * gpt2_adapter_load(gpt2_model * model, const char * path)
     * }
     */
    public static FunctionDescriptor gpt2_adapter_load$descriptor() {
        return gpt2_adapter_load.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_adapter * gpt2_adapter_load(gpt2_model * model, const char * path)
     * }
     */
    public static MethodHandle gpt2_adapter_load$handle() {
        return LibraryLookup.requireHandle(gpt2_adapter_load.HANDLE, "gpt2_adapter_load");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_adapter * gpt2_adapter_load(gpt2_model * model, const char * path)
     * }
     */
    public static MemorySegment gpt2_adapter_load$address() {
        return gpt2_adapter_load.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_adapter * gpt2_adapter_load(gpt2_model * model, const char * path)
     * }
     */
    public static MemorySegment gpt2_adapter_load(MemorySegment model, MemorySegment path) {
        var mh$ = LibraryLookup.requireHandle(gpt2_adapter_load.HANDLE, "gpt2_adapter_load");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_adapter_load", model, path);
            }
            return (MemorySegment) mh$.invokeExact(model, path);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_adapter_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_adapter_free");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void gpt2_adapter_free(gpt2_adapter * adapter)
     * }
     */
    public static FunctionDescriptor gpt2_adapter_free$descriptor() {
        return gpt2_adapter_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void gpt2_adapter_free(gpt2_adapter * adapter)
     * }
     */
    public static MethodHandle gpt2_adapter_free$handle() {
        return LibraryLookup.requireHandle(gpt2_adapter_free.HANDLE, "gpt2_adapter_free");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void gpt2_adapter_free(gpt2_adapter * adapter)
     * }
     */
    public static MemorySegment gpt2_adapter_free$address() {
        return gpt2_adapter_free.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void gpt2_adapter_free(gpt2_adapter * adapter)
     * }
     */
    public static void gpt2_adapter_free(MemorySegment adapter) {
        var mh$ = LibraryLookup.requireHandle(gpt2_adapter_free.HANDLE, "gpt2_adapter_free");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_adapter_free", adapter);
            }
            mh$.invokeExact(adapter);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_adapter_rank {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_adapter_rank");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_adapter_rank(const gpt2_adapter * adapter)
     * }
     */
    public static FunctionDescriptor gpt2_adapter_rank$descriptor() {
        return gpt2_adapter_rank.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_adapter_rank(const gpt2_adapter * adapter)
     * }
     */
    public static MethodHandle gpt2_adapter_rank$handle() {
        return LibraryLookup.requireHandle(gpt2_adapter_rank.HANDLE, "gpt2_adapter_rank");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_adapter_rank(const gpt2_adapter * adapter)
     * }
     */
    public static MemorySegment gpt2_adapter_rank$address() {
        return gpt2_adapter_rank.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_adapter_rank(const gpt2_adapter * adapter)
     * }
     */
    public static int gpt2_adapter_rank(MemorySegment adapter) {
        var mh$ = LibraryLookup.requireHandle(gpt2_adapter_rank.HANDLE, "gpt2_adapter_rank");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_adapter_rank", adapter);
            }
            return (int) mh$.invokeExact(adapter);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_adapter_n_matrices {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_adapter_n_matrices");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t gpt2_adapter_n_matrices(const gpt2_adapter * adapter)
     * }
     */
    public static FunctionDescriptor gpt2_adapter_n_matrices$descriptor() {
        return gpt2_adapter_n_matrices.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t gpt2_adapter_n_matrices(const gpt2_adapter * adapter)
     * }
     */
    public static MethodHandle gpt2_adapter_n_matrices$handle() {
        return LibraryLookup.requireHandle(gpt2_adapter_n_matrices.HANDLE, "gpt2_adapter_n_matrices");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t gpt2_adapter_n_matrices(const gpt2_adapter * adapter)
     * }
     */
    public static MemorySegment gpt2_adapter_n_matrices$address() {
        return gpt2_adapter_n_matrices.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t gpt2_adapter_n_matrices(const gpt2_adapter * adapter)
     * }
     */
    public static int gpt2_adapter_n_matrices(MemorySegment adapter) {
        var mh$ = LibraryLookup.requireHandle(gpt2_adapter_n_matrices.HANDLE, "gpt2_adapter_n_matrices");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_adapter_n_matrices", adapter);
            }
            return (int) mh$.invokeExact(adapter);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_adapter_alpha {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_FLOAT, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_adapter_alpha");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * float gpt2_adapter_alpha(const gpt2_adapter * adapter)
     * }
     */
    public static FunctionDescriptor gpt2_adapter_alpha$descriptor() {
        return gpt2_adapter_alpha.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * float gpt2_adapter_alpha(const gpt2_adapter * adapter)
     * }
     */
    public static MethodHandle gpt2_adapter_alpha$handle() {
        return LibraryLookup.requireHandle(gpt2_adapter_alpha.HANDLE, "gpt2_adapter_alpha");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * float gpt2_adapter_alpha(const gpt2_adapter * adapter)
     * }
     */
    public static MemorySegment gpt2_adapter_alpha$address() {
        return gpt2_adapter_alpha.ADDR;
    }

    /**
     * {@snippet lang=c :
     * float gpt2_adapter_alpha(const gpt2_adapter * adapter)
     * }
     */
    public static float gpt2_adapter_alpha(MemorySegment adapter) {
        var mh$ = LibraryLookup.requireHandle(gpt2_adapter_alpha.HANDLE, "gpt2_adapter_alpha");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_adapter_alpha", adapter);
            }
            return (float) mh$.invokeExact(adapter);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_adapter_name {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_POINTER, gpt2_h.C_POINTER);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_adapter_name");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * gpt2_adapter_name(const gpt2_adapter * adapter)
     * }
     */
    public static FunctionDescriptor gpt2_adapter_name$descriptor() {
        return gpt2_adapter_name.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * gpt2_adapter_name(const gpt2_adapter * adapter)
     * }
     */
    public static MethodHandle gpt2_adapter_name$handle() {
        return LibraryLookup.requireHandle(gpt2_adapter_name.HANDLE, "gpt2_adapter_name");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * gpt2_adapter_name(const gpt2_adapter * adapter)
     * }
     */
    public static MemorySegment gpt2_adapter_name$address() {
        return gpt2_adapter_name.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * gpt2_adapter_name(const gpt2_adapter * adapter)
     * }
     */
    public static MemorySegment gpt2_adapter_name(MemorySegment adapter) {
        var mh$ = LibraryLookup.requireHandle(gpt2_adapter_name.HANDLE, "gpt2_adapter_name");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_adapter_name", adapter);
            }
            return (MemorySegment) mh$.invokeExact(adapter);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_session_set_adapters {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_POINTER, gpt2_h.C_POINTER, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_session_set_adapters");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_adapters(gpt2_session * session, gpt2_adapter * const * adapters, const float * scales, int32_t n)
     * }
     */
    public static FunctionDescriptor gpt2_session_set_adapters$descriptor() {
        return gpt2_session_set_adapters.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_adapters(gpt2_session * session, gpt2_adapter * const * adapters, const float * scales, int32_t n)
     * }
     */
    public static MethodHandle gpt2_session_set_adapters$handle() {
        return LibraryLookup.requireHandle(gpt2_session_set_adapters.HANDLE, "gpt2_session_set_adapters");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_adapters(gpt2_session * session, gpt2_adapter * const * adapters, const float * scales, int32_t n)
     * }
     */
    public static MemorySegment gpt2_session_set_adapters$address() {
        return gpt2_session_set_adapters.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_session_set_adapters(gpt2_session * session, gpt2_adapter * const * adapters, const float * scales, int32_t n)
     * }
     */
    public static int gpt2_session_set_adapters(MemorySegment session, MemorySegment adapters, MemorySegment scales, int n) {
        var mh$ = LibraryLookup.requireHandle(gpt2_session_set_adapters.HANDLE, "gpt2_session_set_adapters");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_session_set_adapters", session, adapters, scales, n);
            }
            return (int) mh$.invokeExact(session, adapters, scales, n);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class gpt2_quantize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(gpt2_h.C_INT, gpt2_h.C_POINTER, gpt2_h.C_POINTER, gpt2_h.C_INT, gpt2_h.C_INT);

        public static final MemorySegment ADDR = LibraryLookup.findOrNull("gpt2_quantize");

        public static final MethodHandle HANDLE = LibraryLookup.downcallOrNull(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * gpt2_status gpt2_quantize(const char * src_path, const char * dst_path, int32_t type, int32_t n_threads)
     * }
     */
    public static FunctionDescriptor gpt2_quantize$descriptor() {
        return gpt2_quantize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * gpt2_status gpt2_quantize(const char * src_path, const char * dst_path, int32_t type, int32_t n_threads)
     * }
     */
    public static MethodHandle gpt2_quantize$handle() {
        return LibraryLookup.requireHandle(gpt2_quantize.HANDLE, "gpt2_quantize");
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * gpt2_status gpt2_quantize(const char * src_path, const char * dst_path, int32_t type, int32_t n_threads)
     * }
     */
    public static MemorySegment gpt2_quantize$address() {
        return gpt2_quantize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * gpt2_status gpt2_quantize(const char * src_path, const char * dst_path, int32_t type, int32_t n_threads)
     * }
     */
    public static int gpt2_quantize(MemorySegment src_path, MemorySegment dst_path, int type, int n_threads) {
        var mh$ = LibraryLookup.requireHandle(gpt2_quantize.HANDLE, "gpt2_quantize");
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("gpt2_quantize", src_path, dst_path, type, n_threads);
            }
            return (int) mh$.invokeExact(src_path, dst_path, type, n_threads);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
