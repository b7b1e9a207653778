/**
 * Batch generation on Apache Spark: {@link dev.gpt2java.spark.Gpt2Completions} turns a Dataset's prompt column
 * into completion columns, one model per executor JVM ({@link dev.gpt2java.spark.ModelSource} says where the
 * executors find the file), every row deterministic. On the class path (Spark's applications are); Spark itself
 * comes from the cluster (provided), libgpt2 from the platform jar {@code gpt2-java:linux-x86_64} beside
 * {@code gpt2-java}. See docs/SPARK.md.
 */
package dev.gpt2java.spark;
