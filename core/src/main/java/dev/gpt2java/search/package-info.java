/**
 * Search over the model's next-token distributions: greedy decoding, beam search with Hugging Face
 * {@code generate()} semantics, and streaming generation.
 */
package dev.gpt2java.search;
