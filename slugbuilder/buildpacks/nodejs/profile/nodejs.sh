# Written by Pier's Node.js buildpack; sourced by the slug runner before the process starts.
export PATH="/app/.heroku/node/bin:/app/.heroku/yarn/bin:/app/.heroku/pnpm/bin:/app/node_modules/.bin:$PATH"
export NODE_ENV=${NODE_ENV:-production}
export NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
export npm_config_update_notifier=false
# Sized by the job's memory limit (MEMORY_AVAILABLE, MB, from the slug runner), as Heroku sizes by the dyno's:
# WEB_CONCURRENCY processes of WEB_MEMORY MB each (default 512, at least one), and V8's old space at three quarters
# of each one's share, unless NODE_OPTIONS already sets it.
if [ -n "${MEMORY_AVAILABLE:-}" ]; then
  WEB_MEMORY=${WEB_MEMORY:-512}
  if [ -z "${WEB_CONCURRENCY:-}" ]; then
    WEB_CONCURRENCY=$((MEMORY_AVAILABLE / WEB_MEMORY))
    [ "$WEB_CONCURRENCY" -ge 1 ] || WEB_CONCURRENCY=1
    [ "$WEB_CONCURRENCY" -le 32 ] || WEB_CONCURRENCY=32
  fi
  export WEB_MEMORY WEB_CONCURRENCY
  case " ${NODE_OPTIONS:-} " in
    *max-old-space-size*|*max_old_space_size*) ;;
    *) export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--max-old-space-size=$((MEMORY_AVAILABLE / WEB_CONCURRENCY * 3 / 4))" ;;
  esac
  if [ "${PIER_PROCESS_TYPE:-}" = web ]; then
    echo "Node.js: ${MEMORY_AVAILABLE} MB available, WEB_CONCURRENCY=$WEB_CONCURRENCY, NODE_OPTIONS=$NODE_OPTIONS"
  fi
fi
