// Written by hand in the shape jextract 22 generates for native/include/gpt2.h (see gpt2_h).

package dev.gpt2java.internal.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.function.Consumer;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfFloat;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct gpt2_random_model_params {
 *     int32_t n_vocab;
 *     int32_t n_ctx;
 *     int32_t n_embd;
 *     int32_t n_head;
 *     int32_t n_layer;
 *     int32_t weight_type;
 *     uint8_t tied_output;
 *     uint64_t seed;
 *     float scale;
 * } gpt2_random_model_params
 * }
 */
public class gpt2_random_model_params {

    gpt2_random_model_params() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        gpt2_h.C_INT.withName("n_vocab"),
        gpt2_h.C_INT.withName("n_ctx"),
        gpt2_h.C_INT.withName("n_embd"),
        gpt2_h.C_INT.withName("n_head"),
        gpt2_h.C_INT.withName("n_layer"),
        gpt2_h.C_INT.withName("weight_type"),
        gpt2_h.C_CHAR.withName("tied_output"),
        MemoryLayout.paddingLayout(7),
        gpt2_h.C_LONG_LONG.withName("seed"),
        gpt2_h.C_FLOAT.withName("scale"),
        MemoryLayout.paddingLayout(4)
    ).withName("gpt2_random_model_params");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final OfInt n_vocab$LAYOUT = (OfInt) $LAYOUT.select(groupElement("n_vocab"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_vocab
     * }
     */
    public static final OfInt n_vocab$layout() {
        return n_vocab$LAYOUT;
    }

    private static final long n_vocab$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_vocab
     * }
     */
    public static final long n_vocab$offset() {
        return n_vocab$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_vocab
     * }
     */
    public static int n_vocab(MemorySegment struct) {
        return struct.get(n_vocab$LAYOUT, n_vocab$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_vocab
     * }
     */
    public static void n_vocab(MemorySegment struct, int fieldValue) {
        struct.set(n_vocab$LAYOUT, n_vocab$OFFSET, fieldValue);
    }
    private static final OfInt n_ctx$LAYOUT = (OfInt) $LAYOUT.select(groupElement("n_ctx"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_ctx
     * }
     */
    public static final OfInt n_ctx$layout() {
        return n_ctx$LAYOUT;
    }

    private static final long n_ctx$OFFSET = 4;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_ctx
     * }
     */
    public static final long n_ctx$offset() {
        return n_ctx$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_ctx
     * }
     */
    public static int n_ctx(MemorySegment struct) {
        return struct.get(n_ctx$LAYOUT, n_ctx$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_ctx
     * }
     */
    public static void n_ctx(MemorySegment struct, int fieldValue) {
        struct.set(n_ctx$LAYOUT, n_ctx$OFFSET, fieldValue);
    }
    private static final OfInt n_embd$LAYOUT = (OfInt) $LAYOUT.select(groupElement("n_embd"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_embd
     * }
     */
    public static final OfInt n_embd$layout() {
        return n_embd$LAYOUT;
    }

    private static final long n_embd$OFFSET = 8;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_embd
     * }
     */
    public static final long n_embd$offset() {
        return n_embd$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_embd
     * }
     */
    public static int n_embd(MemorySegment struct) {
        return struct.get(n_embd$LAYOUT, n_embd$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_embd
     * }
     */
    public static void n_embd(MemorySegment struct, int fieldValue) {
        struct.set(n_embd$LAYOUT, n_embd$OFFSET, fieldValue);
    }
    private static final OfInt n_head$LAYOUT = (OfInt) $LAYOUT.select(groupElement("n_head"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_head
     * }
     */
    public static final OfInt n_head$layout() {
        return n_head$LAYOUT;
    }

    private static final long n_head$OFFSET = 12;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_head
     * }
     */
    public static final long n_head$offset() {
        return n_head$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_head
     * }
     */
    public static int n_head(MemorySegment struct) {
        return struct.get(n_head$LAYOUT, n_head$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_head
     * }
     */
    public static void n_head(MemorySegment struct, int fieldValue) {
        struct.set(n_head$LAYOUT, n_head$OFFSET, fieldValue);
    }
    private static final OfInt n_layer$LAYOUT = (OfInt) $LAYOUT.select(groupElement("n_layer"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_layer
     * }
     */
    public static final OfInt n_layer$layout() {
        return n_layer$LAYOUT;
    }

    private static final long n_layer$OFFSET = 16;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_layer
     * }
     */
    public static final long n_layer$offset() {
        return n_layer$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_layer
     * }
     */
    public static int n_layer(MemorySegment struct) {
        return struct.get(n_layer$LAYOUT, n_layer$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_layer
     * }
     */
    public static void n_layer(MemorySegment struct, int fieldValue) {
        struct.set(n_layer$LAYOUT, n_layer$OFFSET, fieldValue);
    }
    private static final OfInt weight_type$LAYOUT = (OfInt) $LAYOUT.select(groupElement("weight_type"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t weight_type
     * }
     */
    public static final OfInt weight_type$layout() {
        return weight_type$LAYOUT;
    }

    private static final long weight_type$OFFSET = 20;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t weight_type
     * }
     */
    public static final long weight_type$offset() {
        return weight_type$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t weight_type
     * }
     */
    public static int weight_type(MemorySegment struct) {
        return struct.get(weight_type$LAYOUT, weight_type$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t weight_type
     * }
     */
    public static void weight_type(MemorySegment struct, int fieldValue) {
        struct.set(weight_type$LAYOUT, weight_type$OFFSET, fieldValue);
    }
    private static final OfByte tied_output$LAYOUT = (OfByte) $LAYOUT.select(groupElement("tied_output"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint8_t tied_output
     * }
     */
    public static final OfByte tied_output$layout() {
        return tied_output$LAYOUT;
    }

    private static final long tied_output$OFFSET = 24;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint8_t tied_output
     * }
     */
    public static final long tied_output$offset() {
        return tied_output$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint8_t tied_output
     * }
     */
    public static byte tied_output(MemorySegment struct) {
        return struct.get(tied_output$LAYOUT, tied_output$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint8_t tied_output
     * }
     */
    public static void tied_output(MemorySegment struct, byte fieldValue) {
        struct.set(tied_output$LAYOUT, tied_output$OFFSET, fieldValue);
    }
    private static final OfLong seed$LAYOUT = (OfLong) $LAYOUT.select(groupElement("seed"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t seed
     * }
     */
    public static final OfLong seed$layout() {
        return seed$LAYOUT;
    }

    private static final long seed$OFFSET = 32;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t seed
     * }
     */
    public static final long seed$offset() {
        return seed$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t seed
     * }
     */
    public static long seed(MemorySegment struct) {
        return struct.get(seed$LAYOUT, seed$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t seed
     * }
     */
    public static void seed(MemorySegment struct, long fieldValue) {
        struct.set(seed$LAYOUT, seed$OFFSET, fieldValue);
    }
    private static final OfFloat scale$LAYOUT = (OfFloat) $LAYOUT.select(groupElement("scale"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float scale
     * }
     */
    public static final OfFloat scale$layout() {
        return scale$LAYOUT;
    }

    private static final long scale$OFFSET = 40;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float scale
     * }
     */
    public static final long scale$offset() {
        return scale$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float scale
     * }
     */
    public static float scale(MemorySegment struct) {
        return struct.get(scale$LAYOUT, scale$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float scale
     * }
     */
    public static void scale(MemorySegment struct, float fieldValue) {
        struct.set(scale$LAYOUT, scale$OFFSET, fieldValue);
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
