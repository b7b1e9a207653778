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
 * typedef struct gpt2_session_params {
 *     int32_t n_cells;
 *     int32_t n_seq_max;
 *     int32_t n_batch;
 *     int32_t n_threads;
 *     int32_t kv_type;
 *     uint8_t capture_attention;
 *     uint8_t capture_hidden;
 *     uint8_t flash_attn;
 *     uint8_t matmul;
 * } gpt2_session_params
 * }
 */
public class gpt2_session_params {

    gpt2_session_params() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        gpt2_h.C_INT.withName("n_cells"),
        gpt2_h.C_INT.withName("n_seq_max"),
        gpt2_h.C_INT.withName("n_batch"),
        gpt2_h.C_INT.withName("n_threads"),
        gpt2_h.C_INT.withName("kv_type"),
        gpt2_h.C_CHAR.withName("capture_attention"),
        gpt2_h.C_CHAR.withName("capture_hidden"),
        gpt2_h.C_CHAR.withName("flash_attn"),
        gpt2_h.C_CHAR.withName("matmul")
    ).withName("gpt2_session_params");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final OfInt n_cells$LAYOUT = (OfInt) $LAYOUT.select(groupElement("n_cells"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_cells
     * }
     */
    public static final OfInt n_cells$layout() {
        return n_cells$LAYOUT;
    }

    private static final long n_cells$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_cells
     * }
     */
    public static final long n_cells$offset() {
        return n_cells$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_cells
     * }
     */
    public static int n_cells(MemorySegment struct) {
        return struct.get(n_cells$LAYOUT, n_cells$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_cells
     * }
     */
    public static void n_cells(MemorySegment struct, int fieldValue) {
        struct.set(n_cells$LAYOUT, n_cells$OFFSET, fieldValue);
    }
    private static final OfInt n_seq_max$LAYOUT = (OfInt) $LAYOUT.select(groupElement("n_seq_max"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_seq_max
     * }
     */
    public static final OfInt n_seq_max$layout() {
        return n_seq_max$LAYOUT;
    }

    private static final long n_seq_max$OFFSET = 4;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_seq_max
     * }
     */
    public static final long n_seq_max$offset() {
        return n_seq_max$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_seq_max
     * }
     */
    public static int n_seq_max(MemorySegment struct) {
        return struct.get(n_seq_max$LAYOUT, n_seq_max$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_seq_max
     * }
     */
    public static void n_seq_max(MemorySegment struct, int fieldValue) {
        struct.set(n_seq_max$LAYOUT, n_seq_max$OFFSET, fieldValue);
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

    private static final long n_batch$OFFSET = 8;

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

    private static final long n_threads$OFFSET = 12;

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
    private static final OfInt kv_type$LAYOUT = (OfInt) $LAYOUT.select(groupElement("kv_type"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t kv_type
     * }
     */
    public static final OfInt kv_type$layout() {
        return kv_type$LAYOUT;
    }

    private static final long kv_type$OFFSET = 16;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t kv_type
     * }
     */
    public static final long kv_type$offset() {
        return kv_type$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t kv_type
     * }
     */
    public static int kv_type(MemorySegment struct) {
        return struct.get(kv_type$LAYOUT, kv_type$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t kv_type
     * }
     */
    public static void kv_type(MemorySegment struct, int fieldValue) {
        struct.set(kv_type$LAYOUT, kv_type$OFFSET, fieldValue);
    }
    private static final OfByte capture_attention$LAYOUT = (OfByte) $LAYOUT.select(groupElement("capture_attention"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint8_t capture_attention
     * }
     */
    public static final OfByte capture_attention$layout() {
        return capture_attention$LAYOUT;
    }

    private static final long capture_attention$OFFSET = 20;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint8_t capture_attention
     * }
     */
    public static final long capture_attention$offset() {
        return capture_attention$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint8_t capture_attention
     * }
     */
    public static byte capture_attention(MemorySegment struct) {
        return struct.get(capture_attention$LAYOUT, capture_attention$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint8_t capture_attention
     * }
     */
    public static void capture_attention(MemorySegment struct, byte fieldValue) {
        struct.set(capture_attention$LAYOUT, capture_attention$OFFSET, fieldValue);
    }
    private static final OfByte capture_hidden$LAYOUT = (OfByte) $LAYOUT.select(groupElement("capture_hidden"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint8_t capture_hidden
     * }
     */
    public static final OfByte capture_hidden$layout() {
        return capture_hidden$LAYOUT;
    }

    private static final long capture_hidden$OFFSET = 21;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint8_t capture_hidden
     * }
     */
    public static final long capture_hidden$offset() {
        return capture_hidden$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint8_t capture_hidden
     * }
     */
    public static byte capture_hidden(MemorySegment struct) {
        return struct.get(capture_hidden$LAYOUT, capture_hidden$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint8_t capture_hidden
     * }
     */
    public static void capture_hidden(MemorySegment struct, byte fieldValue) {
        struct.set(capture_hidden$LAYOUT, capture_hidden$OFFSET, fieldValue);
    }

    private static final OfByte flash_attn$LAYOUT = (OfByte) $LAYOUT.select(groupElement("flash_attn"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint8_t flash_attn
     * }
     */
    public static final OfByte flash_attn$layout() {
        return flash_attn$LAYOUT;
    }

    private static final long flash_attn$OFFSET = 22;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint8_t flash_attn
     * }
     */
    public static final long flash_attn$offset() {
        return flash_attn$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint8_t flash_attn
     * }
     */
    public static byte flash_attn(MemorySegment struct) {
        return struct.get(flash_attn$LAYOUT, flash_attn$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint8_t flash_attn
     * }
     */
    public static void flash_attn(MemorySegment struct, byte fieldValue) {
        struct.set(flash_attn$LAYOUT, flash_attn$OFFSET, fieldValue);
    }

    private static final OfByte matmul$LAYOUT = (OfByte) $LAYOUT.select(groupElement("matmul"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint8_t matmul
     * }
     */
    public static final OfByte matmul$layout() {
        return matmul$LAYOUT;
    }

    private static final long matmul$OFFSET = 23;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint8_t matmul
     * }
     */
    public static final long matmul$offset() {
        return matmul$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint8_t matmul
     * }
     */
    public static byte matmul(MemorySegment struct) {
        return struct.get(matmul$LAYOUT, matmul$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint8_t matmul
     * }
     */
    public static void matmul(MemorySegment struct, byte fieldValue) {
        struct.set(matmul$LAYOUT, matmul$OFFSET, fieldValue);
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
