package dev.gpt2java.convert;

import dev.gpt2java.Gpt2;
import dev.gpt2java.ModelParams;
import dev.gpt2java.TensorType;
import dev.gpt2java.gguf.GgmlType;
import dev.gpt2java.gguf.GgufWriter;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Converts a Hugging Face GPT-2 checkpoint folder into a GGUF file with the tensor names, shapes, types
 * and metadata keys that llama.cpp's own converter ({@code convert_hf_to_gguf.py}) writes for it, so
 * libgpt2, the pure-Java engine and llama.cpp all read it.
 *
 * <p>The folder (as {@code save_pretrained} writes it, or as downloaded from the Hub, for {@code gpt2},
 * {@code gpt2-medium}, {@code gpt2-large}, {@code gpt2-xl}, {@code distilgpt2} and any other
 * {@code GPT2LMHeadModel}): {@code config.json}, {@code model.safetensors} (or shards with
 * {@code model.safetensors.index.json}; F32, F16 or BF16), the tokenizer ({@code vocab.json} and
 * {@code merges.txt}, or {@code tokenizer.json}; {@code tokenizer_config.json} if there), and optionally
 * {@code generation_config.json} and the model card {@code README.md}, from which llama.cpp takes some
 * {@code general.*} keys. A {@code pytorch_model.bin} is not read (unpickling runs code).
 *
 * <pre>{@code
 * HuggingFaceConverter.convert(HuggingFaceConverter.Params.of(Path.of("gpt2"), Path.of("gpt2-f16.gguf")));
 * HuggingFaceConverter.convert(HuggingFaceConverter.Params.of(hfDir, out).withType(TensorType.Q8_0));
 * }</pre>
 *
 * <p>What goes where: HF's Conv1D weights ({@code c_attn}, {@code c_proj}, {@code c_fc}) are stored
 * [in, out] and are transposed, so that ggml's ne0 is the input dimension; {@code wte}, {@code wpe} and
 * {@code lm_head} are copied as they are. 1-D tensors (biases, LayerNorms) and {@code position_embd}
 * stay F32 in every type. A tied {@code lm_head} (absent, as {@code save_pretrained} writes it) gives no
 * {@code output.weight}: the token embeddings are the output matrix. For {@link TensorType#Q8_0} and
 * {@link TensorType#Q4_0} an F32 file is written first (beside the output, removed afterwards) and
 * quantized by libgpt2 ({@code gpt2_quantize}, ggml's reference quantizers).
 */
public final class HuggingFaceConverter {

    /** Told of the conversion's progress; called on the converting thread. */
    public interface ProgressListener {
        /** A tensor has been written: {@code doneValues} of {@code totalValues} values of all tensors. */
        void written(String tensor, long doneValues, long totalValues);

        /** The F32 file is being quantized to {@code type} by libgpt2 (one call, no further steps). */
        default void quantizing(TensorType type) {
        }

        ProgressListener NONE = (tensor, done, total) -> { };
    }

    /**
     * What to convert, and how.
     *
     * @param modelDir the Hugging Face folder
     * @param output   the GGUF file to write (replaced atomically if it exists)
     * @param type     the type of the 2-D weight matrices: F32, F16, Q8_0 or Q4_0
     * @param threads  threads for quantizing, 1..{@value ModelParams#MAX_THREADS}; 0: one per physical core
     * @param progress told of each tensor written
     */
    public record Params(Path modelDir, Path output, TensorType type, int threads, ProgressListener progress) {
        public Params {
            Objects.requireNonNull(modelDir, "modelDir");
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(progress, "progress");
            if (!SUPPORTED.contains(type)) {
                throw new IllegalArgumentException("type must be one of F32, F16, Q8_0, Q4_0, was " + type);
            }
            if (threads < 0 || threads > ModelParams.MAX_THREADS) {
                throw new IllegalArgumentException("threads must be in 0.." + ModelParams.MAX_THREADS + ", was " + threads);
            }
        }

        /** F16 weights (llama.cpp's converter's default for F32 checkpoints), default threads, no progress. */
        public static Params of(Path modelDir, Path output) {
            return new Params(modelDir, output, TensorType.F16, 0, ProgressListener.NONE);
        }

        public Params withType(TensorType type) {
            return new Params(modelDir, output, type, threads, progress);
        }

        public Params withThreads(int threads) {
            return new Params(modelDir, output, type, threads, progress);
        }

        public Params withProgress(ProgressListener progress) {
            return new Params(modelDir, output, type, threads, progress);
        }
    }

    /**
     * What was written.
     *
     * @param name       {@code general.name}
     * @param tensors    number of tensors
     * @param parameters number of values in all tensors
     * @param bytes      size of the file
     */
    public record Result(Path output, TensorType type, String name, int tensors, long parameters, long bytes) {
    }

    private static final Set<TensorType> SUPPORTED = Set.of(TensorType.F32, TensorType.F16, TensorType.Q8_0, TensorType.Q4_0);

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** llama_ftype of each output type (general.file_type). */
    private static int fileType(TensorType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            default -> throw new AssertionError(t);
        };
    }

    private HuggingFaceConverter() {
    }

    /**
     * Converts {@code params.modelDir()} into {@code params.output()}.
     *
     * @throws ConversionException if the folder is not a convertible GPT-2 checkpoint (the message says why)
     * @throws IOException         if a file cannot be read or written
     * @throws dev.gpt2java.Gpt2Exception if libgpt2 fails to quantize (Q8_0, Q4_0)
     */
    public static Result convert(Params params) throws IOException {
        Path dir = params.modelDir();
        if (!Files.isDirectory(dir)) {
            throw ConversionException.of(dir, Files.exists(dir) ? "not a folder: give the Hugging Face model folder "
                    + "(with config.json, model.safetensors, vocab.json, merges.txt)" : "no such folder");
        }
        Gpt2Config config = Gpt2Config.read(dir);
        if (params.type().isQuantized() && config.shape().nEmbd() % 32 != 0) {
            throw ConversionException.of(dir, params.type() + " needs rows that are multiples of 32 values, but n_embd is "
                    + config.shape().nEmbd() + " (llama.cpp's converter falls back to F16 for such tensors): convert to f16 or f32");
        }
        List<Path> parts = weightFiles(dir);
        List<SafeTensors> opened = new ArrayList<>();
        try {
            for (Path p : parts) {
                opened.add(SafeTensors.open(p));
            }
            Plan plan = Plan.make(dir, config, opened);
            HfTokenizer tok = HfTokenizer.read(dir, config.raw(), config.shape().nVocab());
            GeneralMetadata general = GeneralMetadata.derive(folderName(dir), config.raw(), readme(dir),
                    generationConfig(dir), plan.totalValues());

            boolean quantize = params.type().isQuantized();
            TensorType written = quantize ? TensorType.F32 : params.type();
            GgufWriter w = new GgufWriter();
            // metadata, in the converter's order
            w.putString("general.architecture", "gpt2");
            w.putString("general.type", "model");
            general.write(w);
            w.putU32("gpt2.block_count", config.shape().nLayer());
            w.putU32("gpt2.context_length", config.shape().nCtx());
            w.putU32("gpt2.embedding_length", config.shape().nEmbd());
            w.putU32("gpt2.feed_forward_length", config.shape().nFf()); // the converter: 4 * n_embd, whatever n_inner says
            w.putU32("gpt2.attention.head_count", config.shape().nHead());
            w.putF32("gpt2.attention.layer_norm_epsilon", config.shape().normEps());
            w.putU32("general.file_type", fileType(written));
            w.putU32("general.quantization_version", 2);
            w.putString("tokenizer.ggml.model", "gpt2");
            w.putString("tokenizer.ggml.pre", "gpt-2");
            w.putStrings("tokenizer.ggml.tokens", tok.tokens());
            w.putI32s("tokenizer.ggml.token_type", tok.types());
            if (!tok.merges().isEmpty()) {
                w.putStrings("tokenizer.ggml.merges", tok.merges());
            }
            for (Map.Entry<String, Integer> e : tok.specialIds().entrySet()) {
                String key = switch (e.getKey()) {
                    case "bos" -> "tokenizer.ggml.bos_token_id";
                    case "eos" -> "tokenizer.ggml.eos_token_id";
                    case "unk" -> "tokenizer.ggml.unknown_token_id";
                    case "sep" -> "tokenizer.ggml.seperator_token_id"; // sic: gguf's spelling
                    case "pad" -> "tokenizer.ggml.padding_token_id";
                    case "mask" -> "tokenizer.ggml.mask_token_id";
                    default -> null; // cls: gguf-py has no key for it
                };
                if (key != null) {
                    w.putU32(key, e.getValue());
                }
            }
            for (Map.Entry<String, Boolean> e : tok.addSpecial().entrySet()) {
                switch (e.getKey()) {
                    case "bos", "eos", "sep" -> w.putBool("tokenizer.ggml.add_" + e.getKey() + "_token", e.getValue());
                    default -> { } // gguf-py has no key for the others
                }
            }
            if (tok.chatTemplate() != null) {
                w.putString("tokenizer.chat_template", tok.chatTemplate());
            }

            // tensors
            long total = plan.totalValues();
            long[] done = {0};
            for (Out t : plan.tensors()) {
                GgmlType type = written == TensorType.F16 && t.matrix() ? GgmlType.F16 : GgmlType.F32;
                w.addTensor(t.name(), type, t.ggmlShape(), dst -> {
                    fill(t, type, dst);
                    done[0] += t.elements();
                    params.progress().written(t.name(), done[0], total);
                });
            }
            Path out = params.output();
            if (!quantize) {
                w.write(out);
            } else {
                Path abs = out.toAbsolutePath();
                Files.createDirectories(abs.getParent());
                Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".f32-", ".gguf");
                try {
                    w.write(tmp);
                    params.progress().quantizing(params.type());
                    Gpt2.quantize(tmp, out, params.type(), params.threads());
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            return new Result(out, params.type(), general.name, plan.tensors().size(), total, Files.size(out));
        } finally {
            for (SafeTensors st : opened) {
                st.close();
            }
        }
    }

    // ---- files

    /** The safetensors files: the index's parts, else model*.safetensors, sorted (as llama.cpp). */
    static List<Path> weightFiles(Path dir) throws IOException {
        Path index = dir.resolve("model.safetensors.index.json");
        if (Files.isRegularFile(index)) {
            Map<String, Object> json = HfTokenizer.readJson(index);
            if (!(json.get("weight_map") instanceof Map<?, ?> map) || map.isEmpty()) {
                throw ConversionException.of(index, "no weight_map object");
            }
            TreeMap<String, Path> files = new TreeMap<>();
            for (Object f : map.values()) {
                if (!(f instanceof String name) || name.contains("/") || name.contains("\\") || name.equals("..")) {
                    throw ConversionException.of(index, "weight_map names " + f + ", not a file name in the folder");
                }
                Path p = dir.resolve(name);
                if (!Files.isRegularFile(p)) {
                    throw ConversionException.of(index, "names " + name + ", which is missing: the download is incomplete");
                }
                files.put(name, p);
            }
            return List.copyOf(files.values());
        }
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("model") && n.endsWith(".safetensors") && Files.isRegularFile(p);
            }).sorted().toList();
        }
        if (!found.isEmpty()) {
            return found;
        }
        List<String> others;
        try (Stream<Path> s = Files.list(dir)) {
            others = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".ckpt")
                            || n.endsWith(".h5") || n.endsWith(".msgpack") || n.endsWith(".safetensors"))
                    .sorted().toList();
        }
        if (!others.isEmpty()) {
            throw ConversionException.of(dir, "no model.safetensors, only " + String.join(", ", others) + ". Only safetensors "
                    + "weights are read (a pytorch_model.bin is a Python pickle, and unpickling runs code). Get "
                    + "model.safetensors from the model's Hugging Face repository (gpt2, gpt2-medium, gpt2-large, gpt2-xl "
                    + "and distilgpt2 all have one), or re-save the model with transformers: "
                    + "GPT2LMHeadModel.from_pretrained(DIR).save_pretrained(DIR, safe_serialization=True)");
        }
        throw ConversionException.of(dir, "no model.safetensors: the folder needs config.json, model.safetensors, vocab.json "
                + "and merges.txt (as save_pretrained writes them or the Hugging Face Hub serves them)");
    }

    private static String folderName(Path dir) {
        Path n = dir.normalize().getFileName();
        return n == null ? "" : n.toString();
    }

    private static ModelCard readme(Path dir) throws IOException {
        Path readme = dir.resolve("README.md");
        if (!Files.isRegularFile(readme)) {
            return ModelCard.EMPTY;
        }
        try {
            return ModelCard.parse(Files.readString(readme));
        } catch (java.nio.charset.MalformedInputException e) {
            throw ConversionException.of(readme, "not UTF-8 text");
        }
    }

    /** generation_config.json; empty when absent or not valid JSON (as llama.cpp). */
    private static Map<String, Object> generationConfig(Path dir) throws IOException {
        Path f = dir.resolve("generation_config.json");
        if (!Files.isRegularFile(f)) {
            return Map.of();
        }
        try {
            return HfTokenizer.readJson(f);
        } catch (ConversionException e) {
            return Map.of();
        }
    }

    // ---- the tensor plan

    /** One output tensor: its GGUF name, ggml shape (ne0 first), and its source. */
    record Out(String name, long[] ggmlShape, SafeTensors file, SafeTensors.Tensor src, boolean transpose, boolean matrix) {
        long elements() {
            long n = 1;
            for (long d : ggmlShape) {
                n *= d;
            }
            return n;
        }
    }

    record Plan(List<Out> tensors, long totalValues) {

        private static final Pattern BLOCK = Pattern.compile("h\\.(\\d+)\\.(.+)");

        static Plan make(Path dir, Gpt2Config c, List<SafeTensors> files) throws ConversionException {
            // every tensor of every part, each part in name order (gguf-py's SafetensorsLocal)
            record Src(SafeTensors file, SafeTensors.Tensor t) {
            }
            // a module of a block: its GGUF name and, for a Conv1D, its widths in -> out (a LayerNorm: in = 0)
            record BlockModule(String gguf, long in, long out) {
            }
            List<Src> all = new ArrayList<>();
            HashMap<String, Path> seen = new HashMap<>();
            for (SafeTensors f : files) {
                List<String> names = new ArrayList<>(f.tensors().keySet());
                names.sort(null);
                for (String n : names) {
                    Path before = seen.put(n, f.path());
                    if (before != null) {
                        throw ConversionException.of(f.path(), "tensor " + n + " is also in " + before);
                    }
                    all.add(new Src(f, f.tensors().get(n)));
                }
            }
            long e = c.shape().nEmbd();
            long ff = c.shape().nFf();
            List<Out> out = new ArrayList<>();
            Set<String> have = new HashSet<>();
            Src lmHead = null;
            int lmHeadAt = -1;
            Src wte = null;
            for (Src s : all) {
                String hf = s.t().name();
                String n = hf.startsWith("transformer.") ? hf.substring("transformer.".length()) : hf;
                String gguf;
                long[] hfShape;
                boolean transpose = false;
                Matcher m = BLOCK.matcher(n);
                if (hf.equals("lm_head.weight")) {
                    lmHead = s;
                    lmHeadAt = out.size();
                    continue; // decided below, once wte is known
                } else if (n.equals("wte.weight")) {
                    gguf = "token_embd.weight";
                    hfShape = new long[] {c.shape().nVocab(), e};
                    wte = s;
                } else if (n.equals("wpe.weight")) {
                    gguf = "position_embd.weight";
                    hfShape = new long[] {c.nPositions(), e};
                } else if (n.equals("ln_f.weight") || n.equals("ln_f.bias")) {
                    gguf = "output_norm" + n.substring(4);
                    hfShape = new long[] {e};
                } else if (m.matches()) {
                    int il;
                    try {
                        il = Integer.parseInt(m.group(1));
                    } catch (NumberFormatException ex) {
                        il = Integer.MAX_VALUE;
                    }
                    String rest = m.group(2);
                    if (rest.equals("attn.bias") || rest.equals("attn.masked_bias")) {
                        continue; // the causal mask buffers of old checkpoints: not weights
                    }
                    if (il >= c.shape().nLayer()) {
                        throw ConversionException.of(s.file().path(), "tensor " + hf + " is of layer " + m.group(1) + ", but config.json has n_layer = "
                                + c.shape().nLayer());
                    }
                    String blk = "blk." + il + ".";
                    int dot = rest.lastIndexOf('.');
                    String module = dot < 0 ? rest : rest.substring(0, dot);
                    String param = dot < 0 ? "" : rest.substring(dot + 1);
                    if (!param.equals("weight") && !param.equals("bias")) {
                        throw unexpected(s.file().path(), hf);
                    }
                    // a LayerNorm: weight and bias [e]; a Conv1D [in -> out]: weight [in, out] (stored
                    // transposed: GGUF wants [out, in]), bias [out]
                    BlockModule bm = switch (module) {
                        case "ln_1" -> new BlockModule("attn_norm", 0, e);
                        case "ln_2" -> new BlockModule("ffn_norm", 0, e);
                        case "attn.c_attn" -> new BlockModule("attn_qkv", e, 3 * e);
                        case "attn.c_proj" -> new BlockModule("attn_output", e, e);
                        case "mlp.c_fc" -> new BlockModule("ffn_up", e, ff);
                        case "mlp.c_proj" -> new BlockModule("ffn_down", ff, e);
                        default -> throw unexpected(s.file().path(), hf);
                    };
                    boolean convWeight = bm.in() != 0 && param.equals("weight");
                    gguf = blk + bm.gguf() + "." + param;
                    hfShape = convWeight ? new long[] {bm.in(), bm.out()} : new long[] {bm.out()};
                    transpose = convWeight;
                } else {
                    throw unexpected(s.file().path(), hf);
                }
                out.add(out(s.file(), s.t(), gguf, hfShape, transpose));
                have.add(gguf);
            }
            if (lmHead != null) {
                if (!c.tieWordEmbeddings()) {
                    out.add(lmHeadAt, out(lmHead.file(), lmHead.t(), "output.weight", new long[] {c.shape().nVocab(), e}, false));
                    have.add("output.weight");
                } else if (wte == null || lmHead.t().dtype() != wte.t().dtype() || !Arrays.equals(lmHead.t().shape(), wte.t().shape())
                        || lmHead.file().bytes(lmHead.t()).mismatch(wte.file().bytes(wte.t())) != -1) {
                    throw ConversionException.of(lmHead.file().path(), "config.json ties lm_head to wte (tie_word_embeddings), but "
                            + "lm_head.weight differs from wte.weight; set \"tie_word_embeddings\": false to use it");
                }
                // else: the same matrix as wte, which is the output matrix of a tied model anyway
            } else if (!c.tieWordEmbeddings()) {
                throw ConversionException.of(dir, "config.json has tie_word_embeddings = false, but there is no lm_head.weight");
            }
            // everything there?
            List<String> missing = new ArrayList<>();
            List<String> want = new ArrayList<>(List.of("token_embd.weight", "position_embd.weight", "output_norm.weight", "output_norm.bias"));
            for (int il = 0; il < c.shape().nLayer(); il++) {
                for (String t : new String[] {"attn_norm", "ffn_norm", "attn_qkv", "attn_output", "ffn_up", "ffn_down"}) {
                    want.add("blk." + il + "." + t + ".weight");
                    want.add("blk." + il + "." + t + ".bias");
                }
            }
            for (String t : want) {
                if (!have.contains(t)) {
                    missing.add(t);
                }
            }
            if (!missing.isEmpty()) {
                throw ConversionException.of(dir, "the checkpoint lacks " + missing.size() + " tensor(s) of a " + c.shape().nLayer()
                        + "-layer GPT-2 (GGUF names): " + String.join(", ", missing.subList(0, Math.min(8, missing.size())))
                        + (missing.size() > 8 ? ", ..." : ""));
            }
            long total = 0;
            for (Out o : out) {
                total += o.elements();
            }
            return new Plan(List.copyOf(out), total);
        }

        private static ConversionException unexpected(Path file, String name) {
            return ConversionException.of(file, "unexpected tensor " + name + ": not part of a GPT2LMHeadModel");
        }

        private static Out out(SafeTensors f, SafeTensors.Tensor t, String gguf, long[] hfShape, boolean transpose)
                throws ConversionException {
            if (!Arrays.equals(t.shape(), hfShape)) {
                throw ConversionException.of(f.path(), "tensor " + t.name() + " has shape " + t.shapeString() + ", config.json says "
                        + Arrays.toString(hfShape));
            }
            if (t.dtype() != SafeTensors.DType.F32 && t.dtype() != SafeTensors.DType.F16 && t.dtype() != SafeTensors.DType.BF16) {
                throw ConversionException.of(f.path(), "tensor " + t.name() + " has dtype " + t.dtype()
                        + ", which is not supported (F32, F16 and BF16 are)");
            }
            // ggml order: ne0 is the contiguous dimension. Conv1D [in, out] becomes ne = [in, out] after
            // the transpose; Embedding / Linear [rows, cols] is ne = [cols, rows] as it is.
            long[] ne;
            if (hfShape.length == 1) {
                ne = new long[] {hfShape[0]};
            } else if (transpose) {
                ne = new long[] {hfShape[0], hfShape[1]};
            } else {
                ne = new long[] {hfShape[1], hfShape[0]};
            }
            boolean matrix = hfShape.length == 2 && !gguf.equals("position_embd.weight");
            return new Out(gguf, ne, f, t, transpose, matrix);
        }
    }

    // ---- tensor data

    /** Fills {@code dst} with tensor {@code t} in {@code type} (F32 or F16), transposing Conv1D weights. */
    static void fill(Out t, GgmlType type, MemorySegment dst) {
        MemorySegment src = t.file().bytes(t.src());
        SafeTensors.DType st = t.src().dtype();
        long n = t.elements();
        if (!t.transpose()) {
            if ((type == GgmlType.F32 && st == SafeTensors.DType.F32) || (type == GgmlType.F16 && st == SafeTensors.DType.F16)) {
                dst.copyFrom(src);
                return;
            }
            for (long k = 0; k < n; k++) {
                put(dst, type, k, get(src, st, k));
            }
            return;
        }
        // HF [in, out] row-major: element (i, o) at i*out + o; GGUF ne = [in, out]: element (i, o) at o*in + i
        long in = t.ggmlShape()[0];
        long outDim = t.ggmlShape()[1];
        final int tile = 64;
        boolean rawF16 = type == GgmlType.F16 && st == SafeTensors.DType.F16;
        for (long i0 = 0; i0 < in; i0 += tile) {
            long i1 = Math.min(in, i0 + tile);
            for (long o0 = 0; o0 < outDim; o0 += tile) {
                long o1 = Math.min(outDim, o0 + tile);
                for (long i = i0; i < i1; i++) {
                    long row = i * outDim;
                    for (long o = o0; o < o1; o++) {
                        if (rawF16) {
                            dst.set(I16_LE, 2 * (o * in + i), src.get(I16_LE, 2 * (row + o)));
                        } else {
                            put(dst, type, o * in + i, get(src, st, row + o));
                        }
                    }
                }
            }
        }
    }

    private static float get(MemorySegment src, SafeTensors.DType st, long k) {
        return switch (st) {
            case F32 -> src.get(F32_LE, 4 * k);
            case F16 -> Float.float16ToFloat(src.get(I16_LE, 2 * k));
            case BF16 -> Float.intBitsToFloat((src.get(I16_LE, 2 * k) & 0xFFFF) << 16);
            default -> throw new AssertionError(st);
        };
    }

    private static void put(MemorySegment dst, GgmlType type, long k, float v) {
        if (type == GgmlType.F32) {
            dst.set(F32_LE, 4 * k, v);
        } else {
            dst.set(I16_LE, 2 * k, Float.floatToFloat16(v));
        }
    }
}
