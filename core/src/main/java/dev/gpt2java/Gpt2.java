package dev.gpt2java;

import dev.gpt2java.internal.NativeLibrary;
import dev.gpt2java.internal.Checks;
import dev.gpt2java.internal.Native;
import dev.gpt2java.internal.ffi.gpt2_h;
import dev.gpt2java.sampling.Logits;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Objects;

/** Library-wide operations: converting model files, version, small helpers. */
public final class Gpt2 {

    private Gpt2() {
    }

    /** {@code GPT2_API_VERSION} of the libgpt2 loaded (major * 10000 + minor * 100 + patch). */
    public static int apiVersion() {
        NativeLibrary.ensureLoaded();
        return gpt2_h.gpt2_api_version();
    }

    /** Where libgpt2 was loaded from (loading it if not yet done). */
    public static String libraryLocation() {
        NativeLibrary.ensureLoaded();
        return NativeLibrary.loadedFrom();
    }

    /**
     * The variant of libgpt2's CPU backend this process computes with, loading the backends if not yet
     * done. A release build carries the CPU backend once per instruction set and picks the best this CPU
     * runs: {@code "haswell"}, {@code "skylakex"}, {@code "zen4"}, {@code "x64"} (the baseline), ...; the
     * environment variable {@code GPT2_CPU_VARIANT=<name>} forces one. Empty when the CPU backend is
     * compiled into libgpt2 (a development build) or the backends could not be loaded ({@link #systemInfo()}
     * says why).
     */
    public static String cpuVariant() {
        NativeLibrary.ensureLoaded();
        return Native.string(gpt2_h.gpt2_cpu_variant());
    }

    /**
     * How libgpt2 computes on this machine, one fact a line ({@code key: value}): the folder of its backend
     * modules, the CPU variant picked and the score of each, each GPU module and why it is unused, the
     * devices, the CPU backend's instruction sets; a line {@code error: ...} when the backends could not
     * be loaded. For diagnostics; the format may change.
     */
    public static String systemInfo() {
        NativeLibrary.ensureLoaded();
        return Native.string(gpt2_h.gpt2_system_info());
    }

    /**
     * Rewrites a GPT-2 GGUF with its 2-D weight matrices in {@code type}; 1-D tensors stay F32 and the
     * metadata is kept.
     *
     * @param threads CPU threads, 1..{@value ModelParams#MAX_THREADS}; 0: one per physical core
     * @throws Gpt2Exception if a file cannot be read or written, or the source is not a GPT-2 GGUF
     */
    public static void quantize(Path src, Path dst, TensorType type, int threads) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(type, "type");
        Checks.inRange("threads (0: one per physical core)", threads, 0, ModelParams.MAX_THREADS);
        NativeLibrary.ensureLoaded();
        try (Arena tmp = Arena.ofConfined()) {
            int st = gpt2_h.gpt2_quantize(tmp.allocateFrom(Native.pathString(src)),
                    tmp.allocateFrom(Native.pathString(dst)), type.code(), threads);
            if (st < 0) {
                String msg = Native.lastError();
                Path named = msg.contains(src.toString()) || msg.contains(Native.pathString(src)) ? src : dst;
                throw Gpt2Exception.forFile(Status.of(st), msg, named);
            }
        }
    }

    /** The index of the largest value (the lowest index on ties); greedy decoding's choice: {@link Logits#argmax}. */
    public static int argmax(float[] values) {
        return Logits.argmax(values);
    }
}
