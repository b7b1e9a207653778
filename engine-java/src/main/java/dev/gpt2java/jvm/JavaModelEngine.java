package dev.gpt2java.jvm;

import dev.gpt2java.Backend;
import dev.gpt2java.Gelu;
import dev.gpt2java.Gpt2Exception;
import dev.gpt2java.ModelInfo;
import dev.gpt2java.ModelShape;
import dev.gpt2java.TensorType;
import dev.gpt2java.ModelParams;
import dev.gpt2java.SessionParams;
import dev.gpt2java.Status;
import dev.gpt2java.TokenType;
import dev.gpt2java.spi.AdapterEngine;
import dev.gpt2java.spi.ModelEngine;
import dev.gpt2java.spi.SessionEngine;
import dev.gpt2java.gguf.GgufFile;
import dev.gpt2java.gguf.GgufFormatException;
import dev.gpt2java.gguf.Gpt2Gguf;


import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The pure-Java model ({@link JvmModel}) behind a {@link Gpt2Model}; the vocabulary comes from the
 * GGUF metadata ({@code tokenizer.ggml.*}).
 */
final class JavaModelEngine implements ModelEngine {

    private final JvmModel model;
    private final ModelParams params;
    private final ModelShape hp;
    private final ModelInfo info;
    private final String[] tokens;
    private final int[] tokenTypes;
    private final List<String> merges;

    private JavaModelEngine(JvmModel model, ModelParams params) {
        this.model = model;
        this.params = params;
        this.hp = model.hparams();
        Gpt2Gguf m = model.gpt2();
        this.tokens = m.tokens();
        this.tokenTypes = new int[tokens.length];
        for (int id = 0; id < tokens.length; id++) {
            tokenTypes[id] = m.tokenType(id);
        }
        this.merges = m.merges();
        long np = 0, sb = 0;
        for (GgufFile.TensorInfo t : model.gguf().tensorList()) {
            np += t.elements();
            sb += t.byteSize();
        }
        this.info = new ModelInfo(m.name(), hp, TensorType.ofCodeOrNull(m.weightType().id()), model.outputTied(), np, sb,
                m.bosToken(), m.eosToken(), "Java");
    }

    static JavaModelEngine load(Path path, ModelParams params) {
        if (params.backend() != Backend.AUTO && params.backend() != Backend.CPU) {
            throw new UnsupportedOperationException("the Java engine computes on the CPU only, not on backend "
                    + params.backend() + " (use Engine.NATIVE)");
        }
        if (params.gelu() != Gelu.EXACT) {
            throw new UnsupportedOperationException("the Java engine computes the EXACT (tanh) GELU only, not "
                    + params.gelu() + " (use Engine.NATIVE)");
        }
        JvmModel m;
        try {
            m = JvmModel.load(path);
        } catch (GgufFormatException e) {
            throw Gpt2Exception.forFile(Status.FORMAT, e.getMessage(), path);
        } catch (UnsupportedWeightTypeException e) {
            throw Gpt2Exception.forFile(Status.UNSUPPORTED, e.getMessage(), path);
        } catch (UncheckedIOException e) {
            throw Gpt2Exception.forFile(Status.IO, e.getMessage(), path);
        }
        try {
            return new JavaModelEngine(m, params);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    JvmModel jvmModel() {
        return model;
    }

    /** Threads of the model: the params', or one per available processor for 0. */
    int threads() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return params.threads() == 0 ? cpus : Math.min(params.threads(), cpus);  // more only wait on each other
    }

    /** Unmaps the file: {@link dev.gpt2java.Gpt2Model}'s lifetime calls it once the model and its sessions are closed. */
    @Override
    public void close() {
        model.close();
    }

    @Override
    public AdapterEngine loadAdapter(Path path) {
        try {
            return new JavaAdapterEngine(JvmAdapter.load(model, path));
        } catch (GgufFormatException e) {
            throw Gpt2Exception.forFile(Status.FORMAT, e.getMessage(), path);
        } catch (UncheckedIOException e) {
            throw Gpt2Exception.forFile(Status.IO, e.getMessage(), path);
        }
    }

    @Override
    public SessionEngine newSession(SessionParams params) {
        return new JavaSessionEngine(this, params);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public String tokenText(int id) {
        return tokens[id];
    }

    @Override
    public byte[] tokenBytes(int id) {
        String s = tokens[id];
        if (tokenTypes[id] == TokenType.CONTROL.code()) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int b = cp < BYTE_OF_CP.length ? BYTE_OF_CP[cp] : -1;
            if (b < 0) {
                // outside the byte-to-unicode table: the token stands for its own text
                return s.getBytes(StandardCharsets.UTF_8);
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    @Override
    public TokenType tokenType(int id) {
        return TokenType.ofCode(tokenTypes[id]);
    }

    @Override
    public List<String> merges() {
        return merges;
    }

    @Override
    public float[][] tokenEmbeddings(int first, int n) {
        float[][] out = new float[n][hp.nEmbd()];
        for (int i = 0; i < n; i++) {
            model.tokenEmbedding(first + i, out[i], 0);
        }
        return out;
    }

    @Override
    public float[][] unembed(float[][] hidden, boolean applyFinalNorm) {
        return model.unembed(hidden, applyFinalNorm);
    }

    /** GPT-2's byte-to-unicode table inverted: code point -> byte, -1 outside it. */
    private static final int[] BYTE_OF_CP = new int[0x100 + 68];

    static {
        Arrays.fill(BYTE_OF_CP, -1);
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable) {
                BYTE_OF_CP[b] = b;
            }
        }
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (!printable) {
                BYTE_OF_CP[next++] = b;
            }
        }
    }
}
