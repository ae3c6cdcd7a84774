package io.parigot.junit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A main for deploy.yaml files in tests: records its arguments under the first, and returns. */
final class RecordsArgs {
  static final Map<String, List<String>> RUNS = new ConcurrentHashMap<>();

  private RecordsArgs() {}

  public static void main(String[] args) {
    RUNS.put(args[0], List.of(args));
  }
}
