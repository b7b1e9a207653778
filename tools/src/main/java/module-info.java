/**
 * The tools that make models: {@code dev.gpt2java.convert} turns a Hugging Face GPT-2 folder into GGUF,
 * {@code dev.gpt2java.train} trains a GPT-2 from text on either engine and fine-tunes one on
 * instructions or preferences (JSON Lines, read by Jackson). Not needed for inference.
 */
module dev.gpt2java.tools {
    requires dev.gpt2java;
    requires dev.gpt2java.ffi;
    requires dev.gpt2java.gguf;
    requires dev.gpt2java.jvm;
    requires jdk.incubator.vector;
    requires com.fasterxml.jackson.databind;

    exports dev.gpt2java.convert;
    exports dev.gpt2java.train;
}
