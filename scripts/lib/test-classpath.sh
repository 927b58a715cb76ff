# Sourced by scripts that run the local stand-ins (they live with the tests, never in the Lambda
# artifact). test_classpath compiles them when the sources changed and prints the classpath.
test_classpath() {
  local stamp=target/test-classpath.txt
  if [ ! -f "$stamp" ] || [ -n "$(find pom.xml src -newer "$stamp" -print -quit)" ]; then
    ./mvnw -q -B test-compile dependency:build-classpath \
      -Dmdep.outputFile="$stamp" -Dmdep.includeScope=test >&2
  fi
  echo "target/test-classes:target/classes:$(cat "$stamp")"
}
