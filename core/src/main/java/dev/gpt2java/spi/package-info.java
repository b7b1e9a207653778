/**
 * The seam between the API ({@link dev.gpt2java.Gpt2Model}, {@link dev.gpt2java.Session}) and the engines
 * behind it. Exported only to the pure-Java engine's module: applications never see it.
 */
package dev.gpt2java.spi;
