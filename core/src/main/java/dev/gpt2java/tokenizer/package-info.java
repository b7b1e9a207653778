/**
 * GPT-2's tokenizer in pure Java: {@link dev.gpt2java.tokenizer.Gpt2Tokenizer} (byte-level BPE, from a
 * model's vocabulary, Hugging Face's {@code vocab.json} + {@code merges.txt} or OpenAI's
 * {@code encoder.json} + {@code vocab.bpe}) and {@link dev.gpt2java.tokenizer.StreamingDecoder} (whole
 * characters only, while tokens arrive one by one). It needs no native library.
 */
package dev.gpt2java.tokenizer;
