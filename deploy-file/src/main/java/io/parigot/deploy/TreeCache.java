package io.parigot.deploy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Node} trees of deploy.yaml files read before, kept in the deployment's state
 * directory ({@code .parigot/trees/FILE}) with the text they were read from. On a cold JVM,
 * Jackson and SnakeYAML take about 15 ms to read even a small file, on the main thread before
 * the first service can start; a kept tree takes well under one. A tree is used only for the
 * very bytes it was read from, so what the rest of {@link DeployFile} checks, and every message
 * it gives, is the same either way; the file's other checks (jars, classes, the JDK) run each
 * time. A tree that cannot be read back, for any reason, is simply read again from the YAML.
 */
final class TreeCache {
  /** "PTRE" and the layout's version: a parigot that lays trees out differently reads anew. */
  private static final int MAGIC = 0x50545245;
  private static final int VERSION = 2;
  private static final int SCALAR = 0;
  private static final int MAPPING = 1;
  private static final int SEQUENCE = 2;
  private static final Node.Scalar.Kind[] KINDS = Node.Scalar.Kind.values();

  private final Path directory;
  /**
   * The build that reads the YAML: a kept tree is another build's reading when the jar (or
   * directory) holding this class changed, so a newer parigot or Jackson reads the file anew.
   */
  private final String reader;

  /** Trees kept in {@code directory}, which need not exist yet. */
  TreeCache(Path directory) {
    this.directory = directory;
    this.reader = reader();
  }

  private static String reader() {
    try {
      Path code = Path.of(TreeCache.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      BasicFileAttributes stamp = Files.readAttributes(code, BasicFileAttributes.class);
      return code + " " + stamp.size() + " " + stamp.lastModifiedTime().toMillis();
    } catch (Exception e) {
      return ""; // unknown: then no tree is kept or used
    }
  }

  /** The tree kept for a file of this name whose whole text is {@code text}, if there is one. */
  Optional<Node> find(String fileName, byte[] text) {
    if (reader.isEmpty()) {
      return Optional.empty();
    }
    byte[] kept;
    try {
      kept = Files.readAllBytes(directory.resolve(fileName));
    } catch (IOException e) {
      return Optional.empty(); // none kept yet, the usual first time
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(kept))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION || !text(in).equals(reader)) {
        return Optional.empty();
      }
      byte[] keptText = new byte[count(in)];
      in.readFully(keptText);
      if (!Arrays.equals(keptText, text)) {
        return Optional.empty();
      }
      return Optional.of(node(in));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // cut short or garbled: read the YAML instead
    }
  }

  /**
   * Keeps {@code tree} as the reading of {@code text}. Best effort: a state directory that
   * cannot be written only means the YAML is read again next time.
   */
  void keep(String fileName, byte[] text, Node tree) {
    if (reader.isEmpty()) {
      return;
    }
    Path file = directory.resolve(fileName);
    Path partial = directory.resolve(fileName + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length * 2 + 64);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        text(reader, out);
        out.writeInt(text.length);
        out.write(text);
        write(tree, out);
      }
      // owner-only, as the state directory is: a deploy.yaml may hold what others must not read,
      // and on a first run this may make .parigot/ itself
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
      try (SeekableByteChannel out = Files.newByteChannel(partial,
          Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
      // whole or not at all: another run may be reading it
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // nothing more to do for a cache
      }
    }
  }

  private static void write(Node node, DataOutputStream out) throws IOException {
    if (node instanceof Node.Scalar s) {
      out.writeByte(SCALAR);
      position(node, out);
      out.writeByte(s.kind().ordinal());
      text(s.text(), out);
    } else if (node instanceof Node.Mapping m) {
      out.writeByte(MAPPING);
      position(node, out);
      out.writeInt(m.entries().size());
      for (Node.Entry entry : m.entries()) {
        text(entry.key(), out);
        out.writeInt(entry.line());
        out.writeInt(entry.column());
        write(entry.value(), out);
      }
    } else {
      Node.Sequence q = (Node.Sequence) node;
      out.writeByte(SEQUENCE);
      position(node, out);
      out.writeInt(q.items().size());
      for (Node item : q.items()) {
        write(item, out);
      }
    }
  }

  private static void position(Node node, DataOutputStream out) throws IOException {
    out.writeInt(node.line());
    out.writeInt(node.column());
  }

  /**
   * The string's UTF-16 chars behind their count, exactly as they are: UTF-8 would turn a lone
   * surrogate (which YAML's escapes can write) into '?', and writeUTF stops at 64 KB.
   */
  private static void text(String text, DataOutputStream out) throws IOException {
    out.writeInt(text.length());
    out.writeChars(text);
  }

  private static Node node(DataInputStream in) throws IOException {
    int tag = in.readUnsignedByte();
    int line = in.readInt();
    int column = in.readInt();
    switch (tag) {
      case SCALAR -> {
        Node.Scalar.Kind kind = KINDS[in.readUnsignedByte()];
        return new Node.Scalar(kind, text(in), line, column);
      }
      case MAPPING -> {
        int size = count(in);
        List<Node.Entry> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          String key = text(in);
          int keyLine = in.readInt();
          int keyColumn = in.readInt();
          entries.add(new Node.Entry(key, keyLine, keyColumn, node(in)));
        }
        return new Node.Mapping(entries, line, column);
      }
      case SEQUENCE -> {
        int size = count(in);
        List<Node> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          items.add(node(in));
        }
        return new Node.Sequence(items, line, column);
      }
      default -> throw new IOException("unknown node tag " + tag);
    }
  }

  private static String text(DataInputStream in) throws IOException {
    char[] chars = new char[count(in)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = in.readChar();
    }
    return new String(chars);
  }

  /** A length or a number of entries, never more than the bytes left could hold. */
  private static int count(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > in.available()) {
      throw new IOException("bad count " + count);
    }
    return count;
  }
}
