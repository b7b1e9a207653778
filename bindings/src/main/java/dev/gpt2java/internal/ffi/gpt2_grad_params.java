// Written by hand in the shape jextract 22 generates for native/include/gpt2-train.h (see gpt2_train_h).

package dev.gpt2java.internal.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.function.Consumer;
import java.lang.foreign.ValueLayout.OfInt;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct gpt2_grad_params {
 *     int32_t n_vocab;
 *     int32_t n_ctx;
 *     int32_t n_embd;
 *     int32_t n_head;
 *     int32_t n_layer;
 *     int32_t n_batch;
 *     int32_t n_seq;
 *     int32_t n_threads;
 * } gpt2_grad_params
 * }
 */
public class gpt2_grad_params {

    gpt2_grad_params() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        gpt2_train_h.C_INT.withName("n_vocab"),
        gpt2_train_h.C_INT.withName("n_ctx"),
        gpt2_train_h.C_INT.withName("n_embd"),
        gpt2_train_h.C_INT.withName("n_head"),
        gpt2_train_h.C_INT.withName("n_layer"),
        gpt2_train_h.C_INT.withName("n_batch"),
        gpt2_train_h.C_INT.withName("n_seq"),
        gpt2_train_h.C_INT.withName("n_threads")
    ).withName("gpt2_grad_params");

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
    private static final OfInt n_batch$LAYOUT = (OfInt) $LAYOUT.select(groupElement("n_batch"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_batch
     * }
     */
    public static final OfInt n_batch$layout() {
        return n_batch$LAYOUT;
    }

    private static final long n_batch$OFFSET = 20;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_batch
     * }
     */
    public static final long n_batch$offset() {
        return n_batch$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_batch
     * }
     */
    public static int n_batch(MemorySegment struct) {
        return struct.get(n_batch$LAYOUT, n_batch$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_batch
     * }
     */
    public static void n_batch(MemorySegment struct, int fieldValue) {
        struct.set(n_batch$LAYOUT, n_batch$OFFSET, fieldValue);
    }
    private static final OfInt n_seq$LAYOUT = (OfInt) $LAYOUT.select(groupElement("n_seq"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_seq
     * }
     */
    public static final OfInt n_seq$layout() {
        return n_seq$LAYOUT;
    }

    private static final long n_seq$OFFSET = 24;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_seq
     * }
     */
    public static final long n_seq$offset() {
        return n_seq$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_seq
     * }
     */
    public static int n_seq(MemorySegment struct) {
        return struct.get(n_seq$LAYOUT, n_seq$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_seq
     * }
     */
    public static void n_seq(MemorySegment struct, int fieldValue) {
        struct.set(n_seq$LAYOUT, n_seq$OFFSET, fieldValue);
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

    private static final long n_threads$OFFSET = 28;

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
