#!/bin/sh
# The protoc-gen-parigot benchmark: 50 services, 500 methods; in-process cold and warm, and as
# protoc runs it (java -jar, request on stdin). Not a test: it prints figures. See docs/codegen.md.
set -e
cd "$(dirname "$0")/.."
./mvnw -B -q -o package -pl protoc-gen-parigot -am -DskipTests
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
jar=protoc-gen-parigot/target/protoc-gen-parigot-$version-standalone.jar
java -cp "protoc-gen-parigot/target/test-classes:$jar" io.parigot.plugin.GeneratorBench "$jar"
