/**
 * Samplers: how the next token is picked from the logits. A chain of filters in a configurable order
 * (temperature, top-k, top-p, min-p, typical-p, penalties, logit bias) ending in a seeded draw, or
 * greedy.
 */
package dev.gpt2java.sampling;
