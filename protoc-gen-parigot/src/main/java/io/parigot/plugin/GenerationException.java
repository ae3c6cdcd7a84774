package io.parigot.plugin;

/**
 * A request protoc would not send: a type no file in it defines. Everything wrong with the user's
 * input is a {@link Problem}, collected rather than thrown; this one ends the service's checks and
 * is reported as a problem of that service.
 */
final class GenerationException extends RuntimeException {
  GenerationException(String message) {
    super(message);
  }
}
