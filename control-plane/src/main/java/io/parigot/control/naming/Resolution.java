package io.parigot.control.naming;

import io.parigot.control.v1.Location;
import java.util.List;

/**
 * The answer to a service waiting for its requirements: where they are, or why they never will
 * be ready ({@code reason} is one of the SDK's LaunchFailure reasons).
 */
public record Resolution(List<Location> locations, String reason, String message) {
  static Resolution ready(List<Location> locations) {
    return new Resolution(List.copyOf(locations), null, null);
  }

  static Resolution failed(String reason, String message) {
    return new Resolution(List.of(), reason, message);
  }

  public boolean succeeded() {
    return reason == null;
  }
}
