# Sourced by scripts/test and ./tabby: picks a JDK >= 21 for Maven and for running Tabby.
# shellcheck shell=bash
JAVA_HOME=$("$(dirname "${BASH_SOURCE[0]}")/java-home")
export JAVA_HOME
_major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${_major%%.*}" -ge 24 ]; then
  # Maven 3.9's own jansi and guava use restricted/Unsafe APIs that JDK 24+ warns about on
  # every start; the warnings concern Maven, not Tabby.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi
unset _major
