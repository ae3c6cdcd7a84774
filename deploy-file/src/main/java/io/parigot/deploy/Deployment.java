package io.parigot.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A validated deploy.yaml: the deployment's name and its services, in file order. Paths in it
 * are absolute, resolved against the directory of the file.
 */
public record Deployment(String name, Path file, List<ServiceSpec> services) {
  public Deployment {
    services = List.copyOf(services);
  }

  /** The directory deploy.yaml is in; relative paths in it and the state directory hang off it. */
  public Path directory() {
    return file.toAbsolutePath().getParent();
  }

  /** The service of this name, if there is one. */
  public Optional<ServiceSpec> service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The program (the service marked {@code program: true}), if there is one. */
  public Optional<ServiceSpec> program() {
    return services.stream().filter(ServiceSpec::isProgram).findFirst();
  }
}
