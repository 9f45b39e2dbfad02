# Which buildpacks a build runs (sourced by /builder/build; unit-tested by BuildpackListTest). Pure functions.

# The built-ins in detection order: each bin/detect also refuses apps that a later, more specific one owns (procfile
# only claims an app with none of the others' markers, static one with no package.json, pom.xml or Gradle build).
BUILTIN_BUILDPACKS=(procfile nodejs static java)

# builtin_buildpack NAME: the built-in that NAME stands for (its directory under /buildpacks), or exit status 1.
# Besides the built-ins' own names: Heroku's short names (heroku/nodejs, ...) and their official repositories' URLs,
# so that an app's .buildpacks written for Heroku builds with the built-in of the same language.
builtin_buildpack() {
  local name=${1%%#*}
  name=${name%/}; name=${name%.git}
  case "$name" in
    nodejs|heroku/nodejs|https://github.com/heroku/heroku-buildpack-nodejs) echo nodejs ;;
    java|heroku/java|https://github.com/heroku/heroku-buildpack-java) echo java ;;
    static|heroku/static|https://github.com/heroku/heroku-buildpack-static) echo static ;;
    procfile) echo procfile ;;
    *) return 1 ;;
  esac
}

# buildpacks_file FILE: the buildpacks a .buildpacks file lists, one a line (blank lines and # comments dropped,
# white space trimmed)
buildpacks_file() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    line=${line#"${line%%[![:space:]]*}"}; line=${line%"${line##*[![:space:]]}"}
    [[ -z $line || $line == '#'* ]] && continue
    printf '%s\n' "$line"
  done <"$1"
}

# buildpack_kind ENTRY: "builtin", "tarball" (a .tgz/.tar.gz URL, a query string allowed), "git" (another URL,
# url#ref for a branch or tag) or "unknown" (neither a built-in's name nor a URL)
buildpack_kind() {
  if builtin_buildpack "$1" >/dev/null; then echo builtin; return; fi
  case "$1" in
    http://*|https://*|git://*|ssh://*|git@*)
      case "${1%%\?*}" in *.tgz|*.tar.gz) echo tarball ;; *) echo git ;; esac ;;
    *) echo unknown ;;
  esac
}
