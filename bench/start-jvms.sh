#!/bin/sh
# The baseline of the start-up benchmarks: starts N plain grpc-java servers the way a shell
# script would, prints "all N ready" once every one of them serves, and on SIGTERM stops them
# with SIGTERM and exits once they all have.
# usage: start-jvms.sh N CLASSPATH [JVM option...]
n=$1; cp=$2; shift 2
dir=$(mktemp -d)
pids=""
trap 'kill $pids 2>/dev/null; wait; rm -rf "$dir"; exit 0' TERM INT
i=1
while [ "$i" -le "$n" ]; do
  java "$@" -cp "$cp" io.parigot.bench.RawService "$i" > "$dir/$i.out" 2>&1 &
  pids="$pids $!"
  i=$((i + 1))
done
until [ "$(grep -l '^ready' "$dir"/*.out 2>/dev/null | wc -l)" -ge "$n" ]; do
  sleep 0.01
done
echo "all $n ready"
sleep 100000 &
pids="$pids $!"
wait $!
