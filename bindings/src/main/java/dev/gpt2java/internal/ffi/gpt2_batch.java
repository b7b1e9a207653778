// Written by hand in the shape jextract 22 generates for native/include/gpt2.h (see gpt2_h).

package dev.gpt2java.internal.ffi;

import java.lang.foreign.AddressLayout;
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
 * typedef struct gpt2_batch {
 *     int32_t n_tokens;
 *     const int32_t *tokens;
 *     const int32_t *seq_ids;
 *     const int8_t *logits;
 * } gpt2_batch
 * }
 */
public class gpt2_batch {

    gpt2_batch() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        gpt2_h.C_INT.withName("n_tokens"),
        MemoryLayout.paddingLayout(4),
        gpt2_h.C_POINTER.withName("tokens"),
        gpt2_h.C_POINTER.withName("seq_ids"),
        gpt2_h.C_POINTER.withName("logits")
    ).withName("gpt2_batch");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final OfInt n_tokens$LAYOUT = (OfInt) $LAYOUT.select(groupElement("n_tokens"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_tokens
     * }
     */
    public static final OfInt n_tokens$layout() {
        return n_tokens$LAYOUT;
    }

    private static final long n_tokens$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_tokens
     * }
     */
    public static final long n_tokens$offset() {
        return n_tokens$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_tokens
     * }
     */
    public static int n_tokens(MemorySegment struct) {
        return struct.get(n_tokens$LAYOUT, n_tokens$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_tokens
     * }
     */
    public static void n_tokens(MemorySegment struct, int fieldValue) {
        struct.set(n_tokens$LAYOUT, n_tokens$OFFSET, fieldValue);
    }
    private static final AddressLayout tokens$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("tokens"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int32_t *tokens
     * }
     */
    public static final AddressLayout tokens$layout() {
        return tokens$LAYOUT;
    }

    private static final long tokens$OFFSET = 8;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int32_t *tokens
     * }
     */
    public static final long tokens$offset() {
        return tokens$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int32_t *tokens
     * }
     */
    public static MemorySegment tokens(MemorySegment struct) {
        return struct.get(tokens$LAYOUT, tokens$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int32_t *tokens
     * }
     */
    public static void tokens(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(tokens$LAYOUT, tokens$OFFSET, fieldValue);
    }
    private static final AddressLayout seq_ids$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("seq_ids"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int32_t *seq_ids
     * }
     */
    public static final AddressLayout seq_ids$layout() {
        return seq_ids$LAYOUT;
    }

    private static final long seq_ids$OFFSET = 16;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int32_t *seq_ids
     * }
     */
    public static final long seq_ids$offset() {
        return seq_ids$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int32_t *seq_ids
     * }
     */
    public static MemorySegment seq_ids(MemorySegment struct) {
        return struct.get(seq_ids$LAYOUT, seq_ids$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int32_t *seq_ids
     * }
     */
    public static void seq_ids(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(seq_ids$LAYOUT, seq_ids$OFFSET, fieldValue);
    }
    private static final AddressLayout logits$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("logits"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int8_t *logits
     * }
     */
    public static final AddressLayout logits$layout() {
        return logits$LAYOUT;
    }

    private static final long logits$OFFSET = 24;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int8_t *logits
     * }
     */
    public static final long logits$offset() {
        return logits$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int8_t *logits
     * }
     */
    public static MemorySegment logits(MemorySegment struct) {
        return struct.get(logits$LAYOUT, logits$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int8_t *logits
     * }
     */
    public static void logits(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(logits$LAYOUT, logits$OFFSET, fieldValue);
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
