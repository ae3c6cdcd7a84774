package io.parigot.sdk;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The netty event loops of a service JVM's server and channels, its own rather than grpc-java's
 * shared ones, so that they can be ended before the JVM exits. A JVM's exit waits up to 300 ms
 * for threads blocked in native code, as an event loop is in epoll_wait, and grpc-java ends its
 * shared loops a second after the last server or channel let go of them.
 */
final class NettyLoops {
  /** How long {@link #close()} waits for the loops' threads to end. */
  private static final long CLOSE_LIMIT_MILLIS = 500;

  private final boolean epoll = Epoll.isAvailable();
  private EventLoopGroup group;

  /** The builder of a server on these loops. */
  NettyServerBuilder onLoops(NettyServerBuilder builder) {
    EventLoopGroup loops = group();
    return builder.bossEventLoopGroup(loops).workerEventLoopGroup(loops)
        .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
  }

  /** The builder of a channel on these loops. */
  NettyChannelBuilder onLoops(NettyChannelBuilder builder) {
    return builder.eventLoopGroup(group())
        .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class);
  }

  private synchronized EventLoopGroup group() {
    if (group == null) {
      // as many loops as grpc-java's own (two per core), started as they are first used
      DefaultThreadFactory threads = new DefaultThreadFactory("parigot-netty", true);
      group = epoll ? new EpollEventLoopGroup(0, threads) : new NioEventLoopGroup(0, threads);
    }
    return group;
  }

  /** Ends the loops, once the servers and channels on them are shut down. */
  void close() {
    EventLoopGroup loops;
    synchronized (this) {
      loops = group;
    }
    if (loops == null) {
      return;
    }
    try {
      loops.shutdownGracefully(0, CLOSE_LIMIT_MILLIS, TimeUnit.MILLISECONDS)
          .await(CLOSE_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
