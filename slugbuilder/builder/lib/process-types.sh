# Process types of a build, as the slug builder works them out (sourced by /builder/build; unit-tested by
# ProcessTypesTest). Pure functions of their input: no file is written here. Everything is in bash, not node: each
# start of the stack's node costs a fifth of a second.
#
# The common form is a Procfile's: one "name: command" line per process type.

# Process type names as the API takes them (api Names.problemWithProcessType)
PROCESS_TYPE_NAME='^[a-z][a-z0-9_-]{0,29}$'

# trim STRING: without leading and trailing white space
trim() { local v=$1; v=${v#"${v%%[![:space:]]*}"}; printf '%s' "${v%"${v##*[![:space:]]}"}"; }

# json_string STRING: a JSON string of it (control characters other than \n \r \t dropped)
json_string() {
  local s=${1//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\r'/\\r}; s=${s//$'\t'/\\t}
  printf '"%s"' "$(printf '%s' "$s" | tr -d '\000-\037')"
}

# procfile_types FILE: the Procfile's process types, "name: command" a line, in the file's order (a type named twice
# keeps its first place and its last command). Blank lines, comments (#) and lines that are not "name: command" are
# ignored, as Heroku ignores them. A type with no command, or a name the platform cannot take, is an error: one line
# on stderr naming the Procfile line, exit status 1.
procfile_types() {
  local file=$1 line number=0 type command
  local -A commands=()
  local names=()
  while IFS= read -r line || [ -n "$line" ]; do
    number=$((number + 1))
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    [[ $line =~ ^[[:space:]]*([A-Za-z0-9_.-]+)[[:space:]]*:(.*)$ ]] || continue
    type=${BASH_REMATCH[1]} command=$(trim "${BASH_REMATCH[2]}")
    if ! [[ $type =~ $PROCESS_TYPE_NAME ]]; then
      echo "Procfile line $number: process type '$type' is invalid: use 1 to 30 lowercase letters, digits, '-' and '_', starting with a letter" >&2
      return 1
    fi
    if [ -z "$command" ]; then
      echo "Procfile line $number: process type '$type' has no command (write it as '$type: <command>')" >&2
      return 1
    fi
    [ -n "${commands[$type]+set}" ] || names+=("$type")
    commands[$type]=$command
  done <"$file"
  for type in "${names[@]}"; do printf '%s: %s\n' "$type" "${commands[$type]}"; done
}

# release_section SECTION (bin/release's YAML on stdin): the "key: value" entries of a top-level mapping of that YAML
# subset ("default_process_types" or "config_vars"), one "key: value" line each, quotes around a value removed.
# An empty mapping ("{}") or an absent section gives nothing.
release_section() {
  local section=$1 line inside= key value
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    if [[ $line =~ ^${section}:[[:space:]]*(.*)$ ]]; then
      inside=1
      continue
    fi
    [[ $line =~ ^[^[:space:]#] ]] && inside=
    if [ -n "$inside" ] && [[ $line =~ ^[[:space:]]+([A-Za-z0-9_.-]+):[[:space:]]*(.*)$ ]]; then
      key=${BASH_REMATCH[1]} value=$(trim "${BASH_REMATCH[2]}")
      if [[ $value =~ ^\"(.*)\"$ ]]; then
        value=${BASH_REMATCH[1]//\\\"/\"}
      elif [[ $value =~ ^\'(.*)\'$ ]]; then
        value=${BASH_REMATCH[1]//\'\'/\'}
      fi
      printf '%s: %s\n' "$key" "$value"
    fi
  done
}

# merge_entries FIRST SECOND: FIRST's entries ("name: value" lines: process types, config vars), then those of SECOND
# whose names FIRST does not have: the app's Procfile wins over a buildpack's defaults.
merge_entries() {
  local first=$1 second=$2 line
  local -A seen=()
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    seen[${line%%:*}]=1
    printf '%s\n' "$line"
  done <<<"$first"
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    [ -n "${seen[${line%%:*}]+set}" ] && continue
    seen[${line%%:*}]=1
    printf '%s\n' "$line"
  done <<<"$second"
}

# process_types_json TYPES: the "name: command" lines as a JSON object, in their order
process_types_json() {
  local line json=
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    json+="${json:+,}$(json_string "${line%%:*}"):$(json_string "$(trim "${line#*:}")")"
  done <<<"$1"
  printf '{%s}' "$json"
}

# process_types_summary TYPES: "web -> npm start, worker -> node worker.js", or "none"
process_types_summary() {
  local line summary=
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    summary+="${summary:+, }${line%%:*} -> $(trim "${line#*:}")"
  done <<<"$1"
  printf '%s' "${summary:-none}"
}

# config_vars_profile VARS ("NAME: value" lines, the buildpacks' config_vars): a .profile.d script that sets each as a
# default, so that the app's own config var of that name wins. Names that are not shell variable names are skipped.
config_vars_profile() {
  local line name value
  echo "# config_vars of the buildpacks' bin/release: defaults, an app's own config var wins"
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    name=${line%%:*} value=$(trim "${line#*:}")
    [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    printf '[ -n "${%s+set}" ] || export %s=%q\n' "$name" "$name" "$value"
  done <<<"$1"
}
