package dev.gpt2java;

import dev.gpt2java.internal.ffi.gpt2_h;
import dev.gpt2java.internal.ffi.gpt2_random_model_params;
import dev.gpt2java.sampling.Logits;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/** Library-wide operations: writing and converting model files, version, small helpers. */
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
     * Writes a GPT-2 GGUF with random weights drawn from {@code params.seed()}: the same parameters
     * give the same file. The vocabulary is byte-level BPE (256 byte tokens, merges, {@code <|endoftext|>}).
     *
     * @throws Gpt2Exception if the file cannot be written (the message names it)
     */
    public static void writeRandomModel(Path path, RandomModelParams params) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(params, "params");
        NativeLibrary.ensureLoaded();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment p = gpt2_h.gpt2_random_model_default_params(tmp);
            gpt2_random_model_params.n_vocab(p, params.nVocab());
            gpt2_random_model_params.n_ctx(p, params.nCtx());
            gpt2_random_model_params.n_embd(p, params.nEmbd());
            gpt2_random_model_params.n_head(p, params.nHead());
            gpt2_random_model_params.n_layer(p, params.nLayer());
            gpt2_random_model_params.weight_type(p, params.weightType().code());
            gpt2_random_model_params.tied_output(p, (byte) (params.tiedOutput() ? 1 : 0));
            gpt2_random_model_params.seed(p, params.seed());
            gpt2_random_model_params.scale(p, params.scale());
            Native.checkFile(gpt2_h.gpt2_write_random_model(tmp.allocateFrom(Native.pathString(path)), p), path);
        }
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
