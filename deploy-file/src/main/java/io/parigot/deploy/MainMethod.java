package io.parigot.deploy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Whether a main class has a main method the java launcher can start, read from its class file
 * as the JVM would find it, without loading it: declared, or inherited from a superclass on the
 * classpath. A {@code main} taking a {@code String[]} or nothing, and not private, counts (JDK 25
 * starts instance and argument-less mains too; an older JDK's own message then says the rest).
 * Anything this cannot read (a class file of an unknown shape, a superclass outside the
 * classpath) counts as having one: the check only ever tells a sure mistake. JDK 25 also
 * starts a class that inherits a default {@code main} from an interface (not a static one: static
 * methods of interfaces are not inherited), so the class's interfaces are read too.
 */
final class MainMethod {
  private static final int ACC_PRIVATE = 0x0002;
  private static final int ACC_STATIC = 0x0008;
  private static final int ACC_INTERFACE = 0x0200;
  /** How many supertypes are read at most, looking for an inherited main. */
  private static final int DEPTH = 64;

  private MainMethod() {}

  /**
   * What is wrong with the class of {@code classFile} as a main class, as the end of a sentence
   * about it, or empty when it has a main; {@code classFileOf} reads a superclass's class file
   * (by its name, {@code com/example/Base}) from the classpath.
   */
  static Optional<String> missing(byte[] classFile,
      Function<String, Optional<byte[]>> classFileOf) {
    try {
      Shape main = Shape.of(classFile);
      if (main.hasMain()) {
        return Optional.empty();
      }
      // where the launcher looks for one it inherits: a superclass's main, and (JDK 25) a
      // default main of an interface the class or a superclass implements
      Deque<Supertype> supertypes = new ArrayDeque<>(main.supertypes());
      Set<String> seen = new HashSet<>();
      while (!supertypes.isEmpty()) {
        Supertype next = supertypes.removeFirst();
        String name = next.name();
        // the JDK's interfaces (Runnable, AutoCloseable, ...) declare no main
        if (name.equals("java/lang/Object") || next.isInterface() && name.startsWith("java/")
            || !seen.add(name)) {
          continue;
        }
        Optional<byte[]> read = seen.size() <= DEPTH ? classFileOf.apply(name) : Optional.empty();
        if (read.isEmpty()) {
          return Optional.empty(); // a superclass of the JDK's, or not found: not sure
        }
        Shape shape = Shape.of(read.get());
        if (shape.isInterface() ? shape.hasInstanceMain() : shape.hasMain()) {
          return Optional.empty();
        }
        supertypes.addAll(shape.supertypes());
      }
      return Optional.of("has no main method (public static void main(String[] args)), so "
          + "the JVM cannot start it" + (main.isInterface()
              ? "; it is an interface (protoc-gen-parigot generates one per service): "
              + "name the class that implements it and starts the service"
              : "; name the class whose main starts the service"));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A superclass or an interface of a class, by its name ({@code com/example/Base}). */
  private record Supertype(String name, boolean isInterface) {}

  /** What a class file says of itself that matters here. */
  private record Shape(boolean isInterface, List<Supertype> supertypes, boolean hasMain,
      boolean hasInstanceMain) {
    static Shape of(byte[] bytes) throws IOException {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      if (in.readInt() != 0xCAFEBABE) {
        throw new IOException("not a class file");
      }
      in.skipBytes(4); // its version
      int count = in.readUnsignedShort();
      String[] texts = new String[count];
      int[] classNames = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> texts[i] = in.readUTF(); // the class file's UTF-8 is DataInput's
          case 7 -> classNames[i] = in.readUnsignedShort();
          case 8, 16, 19, 20 -> in.skipBytes(2);
          case 15 -> in.skipBytes(3);
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
          case 5, 6 -> {
            in.skipBytes(8);
            i++; // a long or a double takes two entries
          }
          default -> throw new IOException("constant pool tag " + tag);
        }
      }
      int access = in.readUnsignedShort();
      in.skipBytes(2); // this class
      int superClass = in.readUnsignedShort();
      List<Supertype> supertypes = new ArrayList<>();
      if (superClass != 0) {
        supertypes.add(new Supertype(texts[classNames[superClass]], false));
      }
      int interfaces = in.readUnsignedShort();
      for (int i = 0; i < interfaces; i++) {
        supertypes.add(new Supertype(texts[classNames[in.readUnsignedShort()]], true));
      }
      int fields = in.readUnsignedShort();
      for (int i = 0; i < fields; i++) {
        in.skipBytes(6);
        skipAttributes(in);
      }
      boolean hasMain = false;
      boolean hasInstanceMain = false;
      int methods = in.readUnsignedShort();
      for (int i = 0; i < methods; i++) {
        int flags = in.readUnsignedShort();
        String name = texts[in.readUnsignedShort()];
        String descriptor = texts[in.readUnsignedShort()];
        skipAttributes(in);
        boolean isMain = "main".equals(name) && (flags & ACC_PRIVATE) == 0
            && ("([Ljava/lang/String;)V".equals(descriptor) || "()V".equals(descriptor));
        hasMain |= isMain;
        hasInstanceMain |= isMain && (flags & ACC_STATIC) == 0;
      }
      return new Shape((access & ACC_INTERFACE) != 0, supertypes, hasMain, hasInstanceMain);
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
      int attributes = in.readUnsignedShort();
      for (int i = 0; i < attributes; i++) {
        in.skipBytes(2);
        in.skipBytes(in.readInt());
      }
    }
  }
}
