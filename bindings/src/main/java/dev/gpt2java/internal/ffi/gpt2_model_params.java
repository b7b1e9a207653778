// Written by hand in the shape jextract 22 generates for native/include/gpt2.h (see gpt2_h).

package dev.gpt2java.internal.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.function.Consumer;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfInt;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct gpt2_model_params {
 *     int32_t n_threads;
 *     int32_t backend;
 *     uint8_t use_mmap;
 *     uint8_t gelu;
 *     uint8_t use_extra_bufts;
 * } gpt2_model_params
 * }
 */
public class gpt2_model_params {

    gpt2_model_params() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        gpt2_h.C_INT.withName("n_threads"),
        gpt2_h.C_INT.withName("backend"),
        gpt2_h.C_CHAR.withName("use_mmap"),
        gpt2_h.C_CHAR.withName("gelu"),
        gpt2_h.C_CHAR.withName("use_extra_bufts"),
        MemoryLayout.paddingLayout(1)
    ).withName("gpt2_model_params");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final OfInt n_threads$LAYOUT = (OfInt) $LAYOUT.select(groupElement("n_threads"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_threads
     * }
     */
    public static final OfInt n_threads$layout() {
        return n_threads$LAYOUT;
    }

    private static final long n_threads$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_threads
     * }
     */
    public static final long n_threads$offset() {
        return n_threads$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_threads
     * }
     */
    public static int n_threads(MemorySegment struct) {
        return struct.get(n_threads$LAYOUT, n_threads$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_threads
     * }
     */
    public static void n_threads(MemorySegment struct, int fieldValue) {
        struct.set(n_threads$LAYOUT, n_threads$OFFSET, fieldValue);
    }
    private static final OfInt backend$LAYOUT = (OfInt) $LAYOUT.select(groupElement("backend"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t backend
     * }
     */
    public static final OfInt backend$layout() {
        return backend$LAYOUT;
    }

    private static final long backend$OFFSET = 4;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t backend
     * }
     */
    public static final long backend$offset() {
        return backend$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t backend
     * }
     */
    public static int backend(MemorySegment struct) {
        return struct.get(backend$LAYOUT, backend$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t backend
     * }
     */
    public static void backend(MemorySegment struct, int fieldValue) {
        struct.set(backend$LAYOUT, backend$OFFSET, fieldValue);
    }
    private static final OfByte use_mmap$LAYOUT = (OfByte) $LAYOUT.select(groupElement("use_mmap"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint8_t use_mmap
     * }
     */
    public static final OfByte use_mmap$layout() {
        return use_mmap$LAYOUT;
    }

    private static final long use_mmap$OFFSET = 8;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint8_t use_mmap
     * }
     */
    public static final long use_mmap$offset() {
        return use_mmap$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint8_t use_mmap
     * }
     */
    public static byte use_mmap(MemorySegment struct) {
        return struct.get(use_mmap$LAYOUT, use_mmap$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint8_t use_mmap
     * }
     */
    public static void use_mmap(MemorySegment struct, byte fieldValue) {
        struct.set(use_mmap$LAYOUT, use_mmap$OFFSET, fieldValue);
    }
    private static final OfByte gelu$LAYOUT = (OfByte) $LAYOUT.select(groupElement("gelu"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint8_t gelu
     * }
     */
    public static final OfByte gelu$layout() {
        return gelu$LAYOUT;
    }

    private static final long gelu$OFFSET = 9;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint8_t gelu
     * }
     */
    public static final long gelu$offset() {
        return gelu$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint8_t gelu
     * }
     */
    public static byte gelu(MemorySegment struct) {
        return struct.get(gelu$LAYOUT, gelu$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint8_t gelu
     * }
     */
    public static void gelu(MemorySegment struct, byte fieldValue) {
        struct.set(gelu$LAYOUT, gelu$OFFSET, fieldValue);
    }

    private static final OfByte use_extra_bufts$LAYOUT = (OfByte) $LAYOUT.select(groupElement("use_extra_bufts"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint8_t use_extra_bufts
     * }
     */
    public static final OfByte use_extra_bufts$layout() {
        return use_extra_bufts$LAYOUT;
    }

    private static final long use_extra_bufts$OFFSET = 10;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint8_t use_extra_bufts
     * }
     */
    public static final long use_extra_bufts$offset() {
        return use_extra_bufts$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint8_t use_extra_bufts
     * }
     */
    public static byte use_extra_bufts(MemorySegment struct) {
        return struct.get(use_extra_bufts$LAYOUT, use_extra_bufts$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint8_t use_extra_bufts
     * }
     */
    public static void use_extra_bufts(MemorySegment struct, byte fieldValue) {
        struct.set(use_extra_bufts$LAYOUT, use_extra_bufts$OFFSET, fieldValue);
    }

    /**
     * Obtains a slice of {@code arrayParam} which selects the array element at {@code index}.
     * The returned segment has address {@code arrayParam.address() + index * layout().byteSize()}
     */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index);
    }

    /**
     * The size (in bytes) of this struct
     */
    public static long sizeof() { return layout().byteSize(); }

    /**
     * Allocate a segment of size {@code layout().byteSize()} using {@code allocator}
     */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    /**
     * Allocate an array of size {@code elementCount} using {@code allocator}.
     * The returned segment has size {@code elementCount * layout().byteSize()}.
     */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return reinterpret(addr, 1, arena, cleanup);
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code elementCount * layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);
    }
}
