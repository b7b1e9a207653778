package dev.gpt2java;

import dev.gpt2java.internal.Native;
import dev.gpt2java.internal.ffi.gpt2_h;
import dev.gpt2java.spi.AdapterEngine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** The libgpt2 adapter ({@code gpt2_adapter}) behind a {@link LoraAdapter}. */
final class NativeAdapterEngine implements AdapterEngine {

    private final Arena arena;
    /** Freed with the arena (gpt2_adapter_free); libgpt2's sessions hold their own references. */
    final MemorySegment handle;
    private final AdapterInfo info;

    private NativeAdapterEngine(Arena arena, MemorySegment handle) {
        this.arena = arena;
        this.handle = handle;
        this.info = new AdapterInfo(Native.string(gpt2_h.gpt2_adapter_name(handle)), gpt2_h.gpt2_adapter_rank(handle),
                gpt2_h.gpt2_adapter_alpha(handle), gpt2_h.gpt2_adapter_n_matrices(handle));
    }

    static NativeAdapterEngine load(MemorySegment model, Path path) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment raw;
            try (Arena tmp = Arena.ofConfined()) {
                raw = gpt2_h.gpt2_adapter_load(model, tmp.allocateFrom(Native.pathString(path)));
                if (raw.equals(MemorySegment.NULL)) {
                    throw Gpt2Exception.forFile(Native.lastStatus(), Native.lastError(), path);
                }
            }
            return new NativeAdapterEngine(arena, raw.reinterpret(arena, gpt2_h::gpt2_adapter_free));
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public AdapterInfo info() {
        return info;
    }

    @Override
    public void close() {
        arena.close();
    }
}
