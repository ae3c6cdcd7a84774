package io.parigot.plugin;

/** Bad input: protoc reports the message, which names the file, the element and the fix. */
final class GenerationException extends RuntimeException {
  GenerationException(String message) {
    super(message);
  }
}
