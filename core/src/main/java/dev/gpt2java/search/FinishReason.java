package dev.gpt2java.search;

/** Why a generation ended. */
public enum FinishReason {
    /** An EOS token was generated (it is the last token). */
    EOS,
    /** maxNewTokens were generated, or the model's context is full. */
    LENGTH,
    /** The text reached a stop string. */
    STOP_STRING,
    /** The caller cancelled it ({@link TokenStream#cancel()}, a cancelled batched generation, a closed stream). */
    CANCELLED,
    /** Its deadline passed before it ended otherwise (a batched generation's timeout). */
    TIMEOUT
}
