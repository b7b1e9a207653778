package dev.gpt2java.spark;

import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where each executor finds the GGUF file: shipped by Spark itself ({@link #sparkFile} for a file given at
 * submission, {@code --files} or {@code spark.files}; {@link #distribute} for one added later; the executor
 * reads it with {@link SparkFiles#get}), or a path every executor can read (a shared file system, a file baked
 * into the image).
 */
public sealed interface ModelSource extends Serializable {

    /** The file on this JVM (called on the executor). */
    Path resolve();

    /**
     * Ships {@code modelFile} (a local path or any URI Spark reads: {@code hdfs://}, {@code s3a://}, ...) to
     * every executor with {@code SparkContext.addFile}, once per application.
     *
     * <p>Spark 4 runs a Dataset's jobs with the artifacts of its session only, and a file added with
     * {@code addFile} after the start is not one of them: its executors would never fetch it. So outside
     * local mode this needs a session built with {@code spark.sql.artifact.isolation.enabled=false} (as Spark
     * builds one with Hive support); else give the file at submission ({@code --files}, {@code spark.files})
     * and use {@link #sparkFile}.
     *
     * @throws IllegalStateException if the session isolates its artifacts and the executors are not in this JVM
     */
    static ModelSource distribute(SparkSession spark, String modelFile) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(modelFile, "modelFile");
        String isolation = "spark.sql.artifact.isolation.enabled"; // Spark 4's per-session artifacts, on by default
        if (!spark.sparkContext().isLocal() && Boolean.parseBoolean(spark.conf().get(isolation, "true"))) {
            throw new IllegalStateException("a file added now would not reach the executors of this session's"
                    + " Dataset jobs: give the model at submission (--files, spark.files) and use ModelSource.sparkFile,"
                    + " or build the session with " + isolation + "=false");
        }
        spark.sparkContext().addFile(modelFile);
        return sparkFile(fileName(modelFile));
    }

    /**
     * A file given at submission ({@code --files}, {@code spark.files}: every executor fetches it as it starts) or
     * added with {@link #distribute}: its file name.
     */
    static ModelSource sparkFile(String fileName) {
        return new SparkFile(fileName);
    }

    /** A path every executor reads as it is. */
    static ModelSource path(String path) {
        return new SharedPath(path);
    }

    /** {@link SparkFiles#get} of the name. */
    record SparkFile(String fileName) implements ModelSource {
        public SparkFile {
            Objects.requireNonNull(fileName, "fileName");
            if (fileName.isEmpty() || fileName.contains("/")) {
                throw new IllegalArgumentException("a Spark file is named by its file name alone, was '" + fileName + "'");
            }
        }

        @Override
        public Path resolve() {
            return existing(Path.of(SparkFiles.get(fileName)), "SparkFiles.get(\"" + fileName + "\"): was it given with"
                    + " --files / spark.files, or added with ModelSource.distribute?");
        }
    }

    /** The same path on every executor. */
    record SharedPath(String path) implements ModelSource {
        public SharedPath {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public Path resolve() {
            return existing(Path.of(path), "the path must be readable on every executor");
        }
    }

    private static Path existing(Path file, String hint) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("model file " + file + " does not exist on this executor (" + hint + ")");
        }
        return file.toAbsolutePath().normalize();
    }

    private static String fileName(String location) {
        String s = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return s.substring(s.lastIndexOf('/') + 1);
    }
}
