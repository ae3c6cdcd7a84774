package io.parigot.deploy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The services {@code parigot up FILE NAME...} starts: the named ones and, transitively, the
 * services that export what their deploy.yaml {@code requires:} names. What a service's code
 * declares when it registers is not known before it starts, so only the file is followed.
 *
 * @param deployment the deployment with only the selected services, in file order
 * @param leftOut the names of the services not started, in file order
 */
public record ServiceSelection(Deployment deployment, List<String> leftOut) {
  public ServiceSelection {
    leftOut = List.copyOf(leftOut);
  }

  /** Every service of {@code deployment}: what a plain {@code parigot up} starts. */
  public static ServiceSelection all(Deployment deployment) {
    return new ServiceSelection(deployment, List.of());
  }

  /**
   * The services {@code names} and what they require, as far as deploy.yaml says.
   *
   * @throws IllegalArgumentException naming every unknown name, each with the closest service
   *     name when one is close enough to be a slip, and every service of the deployment
   */
  public static ServiceSelection of(Deployment deployment, List<String> names) {
    if (names.isEmpty()) {
      return all(deployment);
    }
    List<String> all = deployment.services().stream().map(ServiceSpec::name).toList();
    List<String> unknown = names.stream().distinct()
        .filter(name -> deployment.service(name).isEmpty()).toList();
    if (unknown.size() == 1) {
      String name = unknown.get(0);
      Optional<String> closest = DidYouMean.closest(name, all);
      throw new IllegalArgumentException("no service \"" + name + "\" in "
          + deployment.file().getFileName() + " (deployment \"" + deployment.name() + "\")"
          + closest.map(c -> "; did you mean " + c + "?").orElse(";")
          + " its services: " + String.join(", ", all) + ". Nothing was started.");
    }
    if (!unknown.isEmpty()) {
      // every name that is wrong at once, each with its own "did you mean", as the file's
      // problems are: a user who fixes the first should not then meet the second
      List<String> each = unknown.stream().map(name -> "\"" + name + "\""
          + DidYouMean.closest(name, all).map(c -> " (did you mean " + c + "?)").orElse(""))
          .toList();
      int last = each.size() - 1;
      throw new IllegalArgumentException("no services " + String.join(", ", each.subList(0,
          last)) + " and " + each.get(last) + " in " + deployment.file().getFileName()
          + " (deployment \"" + deployment.name() + "\"); its services: " + String.join(", ", all)
          + ". Nothing was started.");
    }
    Set<String> chosen = new LinkedHashSet<>();
    Deque<String> toVisit = new ArrayDeque<>(names);
    while (!toVisit.isEmpty()) {
      String name = toVisit.pop();
      if (!chosen.add(name)) {
        continue;
      }
      for (String required : deployment.service(name).orElseThrow().requires()) {
        exporter(deployment, required).ifPresent(s -> toVisit.add(s.name()));
      }
    }
    List<ServiceSpec> kept = new ArrayList<>();
    List<String> leftOut = new ArrayList<>();
    for (ServiceSpec s : deployment.services()) {
      if (chosen.contains(s.name())) {
        kept.add(s);
      } else {
        leftOut.add(s.name());
      }
    }
    return new ServiceSelection(new Deployment(deployment.name(), deployment.file(), kept),
        leftOut);
  }

  /** Whether some services of the deployment are not started. */
  public boolean isSubset() {
    return !leftOut.isEmpty();
  }

  /**
   * The line a run of some of the services starts with: {@code starting 2 of 5 services: cart,
   * store (those named and what they require); left out: shopper, frontend, catalog}.
   */
  public String said() {
    List<String> started = deployment.services().stream().map(ServiceSpec::name).toList();
    return "starting " + started.size() + " of " + (started.size() + leftOut.size())
        + " services: " + String.join(", ", started) + " (those named and what they require); "
        + "left out: " + String.join(", ", leftOut);
  }

  /** The service whose deploy.yaml {@code exports:} names {@code interfaceName}, if one does. */
  private static Optional<ServiceSpec> exporter(Deployment deployment, String interfaceName) {
    return deployment.services().stream().filter(s -> s.exports().contains(interfaceName))
        .findFirst();
  }
}
