package dev.gpt2java.search;

/** A token and its log-probability (natural log, of the model's softmax before any sampler). */
public record TokenLogprob(int token, double logprob) {
}
