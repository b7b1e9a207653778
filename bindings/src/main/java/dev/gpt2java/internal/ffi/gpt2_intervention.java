// Written by hand in the shape jextract 22 generates for native/include/gpt2.h (see gpt2_h).

package dev.gpt2java.internal.ffi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.function.Consumer;
import java.lang.foreign.ValueLayout.OfFloat;
import java.lang.foreign.ValueLayout.OfInt;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct gpt2_intervention {
 *     int32_t site;
 *     int32_t layer;
 *     int32_t head;
 *     int32_t pos;
 *     float scale;
 *     const float *values;
 * } gpt2_intervention
 * }
 */
public class gpt2_intervention {

    gpt2_intervention() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        gpt2_h.C_INT.withName("site"),
        gpt2_h.C_INT.withName("layer"),
        gpt2_h.C_INT.withName("head"),
        gpt2_h.C_INT.withName("pos"),
        gpt2_h.C_FLOAT.withName("scale"),
        MemoryLayout.paddingLayout(4),
        gpt2_h.C_POINTER.withName("values")
    ).withName("gpt2_intervention");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final OfInt site$LAYOUT = (OfInt) $LAYOUT.select(groupElement("site"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t site
     * }
     */
    public static final OfInt site$layout() {
        return site$LAYOUT;
    }

    private static final long site$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t site
     * }
     */
    public static final long site$offset() {
        return site$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t site
     * }
     */
    public static int site(MemorySegment struct) {
        return struct.get(site$LAYOUT, site$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t site
     * }
     */
    public static void site(MemorySegment struct, int fieldValue) {
        struct.set(site$LAYOUT, site$OFFSET, fieldValue);
    }
    private static final OfInt layer$LAYOUT = (OfInt) $LAYOUT.select(groupElement("layer"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t layer
     * }
     */
    public static final OfInt layer$layout() {
        return layer$LAYOUT;
    }

    private static final long layer$OFFSET = 4;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t layer
     * }
     */
    public static final long layer$offset() {
        return layer$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t layer
     * }
     */
    public static int layer(MemorySegment struct) {
        return struct.get(layer$LAYOUT, layer$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t layer
     * }
     */
    public static void layer(MemorySegment struct, int fieldValue) {
        struct.set(layer$LAYOUT, layer$OFFSET, fieldValue);
    }
    private static final OfInt head$LAYOUT = (OfInt) $LAYOUT.select(groupElement("head"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t head
     * }
     */
    public static final OfInt head$layout() {
        return head$LAYOUT;
    }

    private static final long head$OFFSET = 8;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t head
     * }
     */
    public static final long head$offset() {
        return head$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t head
     * }
     */
    public static int head(MemorySegment struct) {
        return struct.get(head$LAYOUT, head$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t head
     * }
     */
    public static void head(MemorySegment struct, int fieldValue) {
        struct.set(head$LAYOUT, head$OFFSET, fieldValue);
    }
    private static final OfInt pos$LAYOUT = (OfInt) $LAYOUT.select(groupElement("pos"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t pos
     * }
     */
    public static final OfInt pos$layout() {
        return pos$LAYOUT;
    }

    private static final long pos$OFFSET = 12;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t pos
     * }
     */
    public static final long pos$offset() {
        return pos$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t pos
     * }
     */
    public static int pos(MemorySegment struct) {
        return struct.get(pos$LAYOUT, pos$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t pos
     * }
     */
    public static void pos(MemorySegment struct, int fieldValue) {
        struct.set(pos$LAYOUT, pos$OFFSET, fieldValue);
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

    private static final long scale$OFFSET = 16;

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
    private static final AddressLayout values$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("values"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const float *values
     * }
     */
    public static final AddressLayout values$layout() {
        return values$LAYOUT;
    }

    private static final long values$OFFSET = 24;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const float *values
     * }
     */
    public static final long values$offset() {
        return values$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const float *values
     * }
     */
    public static MemorySegment values(MemorySegment struct) {
        return struct.get(values$LAYOUT, values$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const float *values
     * }
     */
    public static void values(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(values$LAYOUT, values$OFFSET, fieldValue);
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
