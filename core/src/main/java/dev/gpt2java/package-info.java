/**
 * GPT-2 inference on libgpt2.
 *
 * <pre>{@code
 * try (Gpt2Model model = Gpt2Model.load(Path.of("gpt2-f16.gguf"));
 *      Session session = model.newSession(SessionParams.defaults())) {
 *     float[] logits = session.eval(0, 15496, 995);    // "Hello world"
 *     int next = Gpt2.argmax(logits);             // greedy
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>A {@link dev.gpt2java.Gpt2Model} is immutable once loaded and may be shared by any number of
 *       threads: they may create sessions and read the hyper-parameters and vocabulary at once.</li>
 *   <li>A {@link dev.gpt2java.Session} is meant for one thread at a time (its KV cache is state). Its
 *       methods are synchronized, so misuse from several threads serialises rather than corrupts, and
 *       a {@code close()} from another thread waits for an {@code eval} in flight.</li>
 *   <li>Closing a model while its sessions are open is safe: each session keeps the native weights
 *       alive (a native reference count), only the closed {@code Gpt2Model} object stops working.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Wrong arguments are refused in Java with {@link java.lang.IllegalArgumentException} or
 * {@link java.lang.IndexOutOfBoundsException}; any use of a closed object throws
 * {@link java.lang.IllegalStateException}; failures of the native library (unreadable or corrupt file,
 * full KV cache, ...) throw {@link dev.gpt2java.Gpt2Exception} with its {@link dev.gpt2java.Status}
 * and the native message. Native memory is never touched after it is freed.
 *
 * <h2>Loading libgpt2</h2>
 * On first use, from: the system property {@code gpt2.library.path} (a file or a directory);
 * else {@code java.library.path}; else the jar's {@code META-INF/native/<os>-<arch>/}. The native log
 * goes to the {@link java.lang.System.Logger} named {@code dev.gpt2java} (system property
 * {@code gpt2.log=stderr} leaves it on stderr).
 */
package dev.gpt2java;
