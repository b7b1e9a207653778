/**
 * Looking inside GPT-2: {@link dev.gpt2java.inspect.Inspector#trace} (attention, hidden states,
 * next-token distribution and the logit lens of one forward pass) and
 * {@link dev.gpt2java.inspect.Embeddings} (nearest tokens and analogies in the embedding matrix),
 * {@link dev.gpt2java.inspect.ParameterCount} (the parameters per tensor and per block, and the total) and
 * {@link dev.gpt2java.inspect.Probe} (linear probes on the residual stream, layer by layer, over
 * {@link dev.gpt2java.inspect.LabelledTexts}).
 */
package dev.gpt2java.inspect;
