/**
 * Continuous batching: one {@link dev.gpt2java.batching.BatchingEngine} owns the compute (one session with a
 * sequence slot per running request, one thread pool) and advances every running generation with one batched
 * eval per step. Requests join between steps and leave when they end; long prompts are prefilled in chunks
 * between decode steps; prompts that share a prefix with a sequence still in the cache reuse its cells.
 */
package dev.gpt2java.batching;
