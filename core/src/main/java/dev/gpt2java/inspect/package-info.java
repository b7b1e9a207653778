/**
 * Looking inside GPT-2: {@link dev.gpt2java.inspect.Inspector#trace} (attention, hidden states,
 * next-token distribution and the logit lens of one forward pass) and
 * {@link dev.gpt2java.inspect.Embeddings} (nearest tokens and analogies in the embedding matrix).
 */
package dev.gpt2java.inspect;
