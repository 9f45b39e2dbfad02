# Written by Pier's Java buildpack; sourced by the slug runner before the process starts.
# JDBC_DATABASE_URL, JDBC_DATABASE_USERNAME and JDBC_DATABASE_PASSWORD from DATABASE_URL, as Heroku derives them:
# postgres://u:p@host:5432/db?x=y -> jdbc:postgresql://host:5432/db?password=p&sslmode=require&user=u&x=y (the
# query's parameters sorted by name, user and password among them, so that a JDBC URL alone connects; sslmode=require
# for PostgreSQL unless CI=true); mysql:// -> jdbc:mysql://. Set only when the URL has both a user and a password.
# Then SPRING_DATASOURCE_URL/USERNAME/PASSWORD from those, unless one of them is set or
# DISABLE_SPRING_DATASOURCE_URL=true.

# pier_jdbc_url URL PREFIX: exports PREFIX_URL, PREFIX_USERNAME and PREFIX_PASSWORD for a database URL
pier_jdbc_url() {
  local url=$1 prefix=$2
  local pattern='^([A-Za-z][A-Za-z0-9+.-]*)://(([^/]*)@)?([^/:?#@]+)(:[0-9]+)?([^?#]*)(\?[^#]*)?(#.*)?$'
  [[ $url =~ $pattern ]] || return 0
  local scheme=${BASH_REMATCH[1]} userinfo=${BASH_REMATCH[3]} host=${BASH_REMATCH[4]} port=${BASH_REMATCH[5]}
  local path=${BASH_REMATCH[6]} query=${BASH_REMATCH[7]} fragment=${BASH_REMATCH[8]}
  local jdbc user= password=
  case "$scheme" in
    postgres) jdbc=jdbc:postgresql ;;
    mysql) jdbc=jdbc:mysql ;;
    *) return 0 ;;
  esac
  if [[ $userinfo == *:* ]]; then user=${userinfo%%:*} password=${userinfo#*:}; else user=$userinfo; fi
  local -A params=()
  local pair
  query=${query#\?}
  if [ -n "$query" ]; then
    local IFS='&'
    for pair in $query; do
      [ -n "$pair" ] || continue
      if [[ $pair == *=* ]]; then params[${pair%%=*}]=${pair#*=}; else params[$pair]=; fi
    done
    unset IFS
  fi
  [ -n "$user" ] && params[user]=$user
  [ -n "$password" ] && params[password]=$password
  [ "$scheme" = postgres ] && [ "${CI:-}" != true ] && params[sslmode]=require
  local key joined=
  while IFS= read -r key; do
    [ -n "$key" ] || continue
    joined+="${joined:+&}$key=${params[$key]}"
  done < <(printf '%s\n' "${!params[@]}" | LC_ALL=C sort)
  if [ -n "$user" ] && [ -n "$password" ]; then
    export "${prefix}_URL=$jdbc://$host$port$path${joined:+?$joined}$fragment"
    export "${prefix}_USERNAME=$user" "${prefix}_PASSWORD=$password"
  fi
}

if [ -n "${DATABASE_URL:-}" ]; then
  pier_jdbc_url "$DATABASE_URL" JDBC_DATABASE
elif [ -n "${JAWSDB_URL:-}" ]; then
  pier_jdbc_url "$JAWSDB_URL" JDBC_DATABASE
elif [ -n "${JAWSDB_MARIA_URL:-}" ]; then
  pier_jdbc_url "$JAWSDB_MARIA_URL" JDBC_DATABASE
elif [ -n "${CLEARDB_DATABASE_URL:-}" ]; then
  pier_jdbc_url "$CLEARDB_DATABASE_URL" JDBC_DATABASE
fi
if [ "${DISABLE_SPRING_DATASOURCE_URL:-}" != true ] && [ -n "${JDBC_DATABASE_URL:-}" ] \
    && [ -z "${SPRING_DATASOURCE_URL:-}" ] && [ -z "${SPRING_DATASOURCE_USERNAME:-}" ] \
    && [ -z "${SPRING_DATASOURCE_PASSWORD:-}" ]; then
  export SPRING_DATASOURCE_URL=$JDBC_DATABASE_URL SPRING_DATASOURCE_USERNAME=${JDBC_DATABASE_USERNAME:-} \
    SPRING_DATASOURCE_PASSWORD=${JDBC_DATABASE_PASSWORD:-}
fi
