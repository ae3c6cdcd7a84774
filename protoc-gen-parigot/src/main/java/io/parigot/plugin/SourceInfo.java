package io.parigot.plugin;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * What protoc tells about where things are in one .proto file: the comment before each element
 * (for Javadoc) and its line and column (for problems). Elements are named by their source
 * path, e.g. {@code 6,0} for the first service and {@code 6,0,2,1} for its second rpc.
 */
final class SourceInfo {
  static final int MESSAGE = 4;
  static final int ENUM = 5;
  static final int SERVICE = 6;
  static final int ENUM_VALUE = 2;
  static final int METHOD = 2;
  static final int OPTIONS = 3;

  private final String fileName;
  private final Map<String, String> comments = new HashMap<>();
  /** Path to {line, column}, both from 1. */
  private final Map<String, int[]> positions = new HashMap<>();

  SourceInfo(FileDescriptorProto file) {
    this.fileName = file.getName();
    for (SourceCodeInfo.Location location : file.getSourceCodeInfo().getLocationList()) {
      String path = path(location.getPathList().stream().mapToInt(Integer::intValue).toArray());
      if (location.hasLeadingComments() && !location.getLeadingComments().isBlank()) {
        comments.put(path, location.getLeadingComments());
      }
      if (location.getSpanCount() >= 2) {
        positions.putIfAbsent(path, new int[] {location.getSpan(0) + 1, location.getSpan(1) + 1});
      }
    }
  }

  static String path(int... elements) {
    StringBuilder out = new StringBuilder();
    for (int element : elements) {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(element);
    }
    return out.toString();
  }

  /** A problem at the element's line and column, or in the file when protoc sent no spans. */
  Problem problem(String message, int... path) {
    int[] position = positions.get(path(path));
    return position == null ? Problem.in(fileName, message)
        : new Problem(fileName, position[0], position[1], message);
  }

  /** The element's leading comment as Javadoc-safe text, or null when it has none. */
  String javadoc(int... path) {
    String comment = comments.get(path(path));
    if (comment == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    boolean paragraph = false;
    for (String line : comment.strip().split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      if (line.isBlank()) {
        paragraph = true;
        continue;
      }
      if (paragraph) {
        out.append("<p>");
        paragraph = false;
      }
      // proto comments are plain text: keep them from ending the comment, opening HTML tags,
      // starting a Javadoc block or inline tag ({@link ...} mid-line too), or being read as
      // unicode escapes by javac; the same escapes protobuf-java puts in its own Javadoc
      out.append(line.strip()
          .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
          .replace("*/", "*&#47;").replace("\\", "&#92;").replace("@", "&#64;"));
    }
    return out.toString();
  }
}
