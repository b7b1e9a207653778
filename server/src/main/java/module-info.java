/**
 * An OpenAI-compatible completions server on gpt2-java's continuous-batching engine:
 * {@link dev.gpt2java.server.CompletionServer}. HTTP on Jetty's core API, JSON by Jackson, metrics as Prometheus
 * text (prometheus-metrics-core).
 */
module dev.gpt2java.server {
    requires transitive dev.gpt2java;
    requires org.eclipse.jetty.server;
    requires com.fasterxml.jackson.databind;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;

    exports dev.gpt2java.server;
}
