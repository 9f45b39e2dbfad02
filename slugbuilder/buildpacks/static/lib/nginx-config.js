// The static buildpack's nginx configuration, from Heroku's static.json: root, clean_urls, routes (SPA fallback),
// redirects, headers, error_page, https_only. Usage: node nginx-config.js APP_DIR > nginx.conf
// A mistake in static.json ends it with exit status 1 and one line on stderr naming it; keys Heroku has and Pier
// does not are named on stderr as warnings, prefixed "warning: ".
'use strict';
const fs = require('fs');
const path = require('path');

const SUPPORTED = ['root', 'clean_urls', 'routes', 'redirects', 'headers', 'error_page', 'https_only', 'encoding'];
const KNOWN_ELSEWHERE = ['proxies', 'basic_auth', 'basic_auth_htpasswd_path', 'canonical_host', 'logging', 'debug'];

function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(1);
}

/** A static.json glob as a regex anchored at both ends: '**' any path, '*' one path segment's characters. */
function globRegex(glob) {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') { out += '.*'; i++; }
    else if (c === '*') out += '[^/]*';
    else if (/[.+?^${}()|[\]\\]/.test(c)) out += '\\' + c;
    else out += c;
  }
  return '^' + out + '$';
}

/** A value inside double quotes in nginx's configuration. */
function quoted(value) {
  return '"' + String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '${dollar}') + '"';
}

/** A map key: an exact URI, or a regex for a glob (nginx reads a quoted key that starts with ~ as a regex). */
function mapKey(pattern) {
  const key = pattern.includes('*') ? '~' + globRegex(pattern) : pattern;
  // no variables in a map's keys: only quotes and backslashes need escaping (a regex's "$" stays an anchor)
  return '"' + key.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

function checkPath(what, value) {
  if (typeof value !== 'string' || !value.startsWith('/') || /[\s;{}]/.test(value)) {
    fail(`static.json: ${what} must be a path starting with "/", without spaces, ';' or braces (got ${JSON.stringify(value)})`);
  }
}

function config(appDir) {
  let json = {};
  const file = path.join(appDir, 'static.json');
  if (fs.existsSync(file)) {
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      fail('static.json is not valid JSON: ' + e.message.replace(/\s+/g, ' '));
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('static.json must hold a JSON object');
  }
  for (const key of Object.keys(json)) {
    if (KNOWN_ELSEWHERE.includes(key)) process.stderr.write(`warning: static.json: "${key}" is not supported by Pier's static buildpack: ignored\n`);
    else if (!SUPPORTED.includes(key)) process.stderr.write(`warning: static.json: unknown key "${key}": ignored\n`);
  }

  // root: static.json's, else public_html/ when it exists (Heroku's default), else the app's top directory
  let root = json.root;
  if (root === undefined) root = fs.existsSync(path.join(appDir, 'public_html')) ? 'public_html/' : '';
  if (typeof root !== 'string') fail('static.json: root must be a string (a directory of the app, e.g. "dist/")');
  const rootDir = path.posix.normalize('/app/' + root).replace(/\/$/, '') || '/app';
  if (rootDir !== '/app' && !rootDir.startsWith('/app/')) fail(`static.json: root "${root}" is outside the app`);
  if (/[\s;{}"]/.test(rootDir)) fail(`static.json: root "${root}" must not hold spaces, quotes, ';' or braces`);
  const rootOnDisk = path.join(appDir, path.relative('/app', rootDir));
  if (!fs.existsSync(rootOnDisk) || !fs.statSync(rootOnDisk).isDirectory()) {
    fail(`static.json: root "${root}" is not a directory of the app`);
  }

  const lines = [];
  const http = [];
  const server = [];

  // redirects: {"/old": {"url": "/new", "status": 301}}, grouped by status (nginx's return takes a literal code)
  const redirects = json.redirects || {};
  if (typeof redirects !== 'object' || Array.isArray(redirects)) fail('static.json: redirects must be an object');
  const byStatus = new Map();
  for (const [from, to] of Object.entries(redirects)) {
    checkPath(`the redirect "${from}"`, from);
    if (!to || typeof to !== 'object' || typeof to.url !== 'string' || /[\s"]/.test(to.url) || !to.url) {
      fail(`static.json: the redirect of "${from}" needs a "url" (a path or a URL, without spaces)`);
    }
    const status = to.status === undefined ? 301 : to.status;
    if (![301, 302, 303, 307, 308].includes(status)) {
      fail(`static.json: the redirect of "${from}" has status ${JSON.stringify(status)}: use 301, 302, 303, 307 or 308`);
    }
    if (!byStatus.has(status)) byStatus.set(status, []);
    byStatus.get(status).push([from, to.url]);
  }
  for (const [status, entries] of byStatus) {
    http.push(`map $uri $pier_redirect_${status} {`, '  default "";');
    for (const [from, url] of entries) http.push(`  ${mapKey(from)} ${quoted(url)};`);
    http.push('}');
    server.push(`if ($pier_redirect_${status}) { return ${status} $pier_redirect_${status}; }`);
  }

  // headers: {"/assets/**": {"Cache-Control": "..."}}: one map per header name; the first pattern that matches wins
  const headers = json.headers || {};
  if (typeof headers !== 'object' || Array.isArray(headers)) fail('static.json: headers must be an object');
  const byName = new Map();
  for (const [pattern, values] of Object.entries(headers)) {
    checkPath(`the headers' path "${pattern}"`, pattern);
    if (!values || typeof values !== 'object' || Array.isArray(values)) {
      fail(`static.json: the headers of "${pattern}" must be an object of header names and values`);
    }
    for (const [name, value] of Object.entries(values)) {
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) fail(`static.json: "${name}" (headers of "${pattern}") is not a header name`);
      if (typeof value !== 'string' || /[\r\n]/.test(value)) fail(`static.json: the header ${name} of "${pattern}" must be a one-line string`);
      const key = name.toLowerCase();
      if (!byName.has(key)) byName.set(key, { name, entries: [] });
      byName.get(key).entries.push([pattern, value]);
    }
  }
  let n = 0;
  if (byName.size) http.push('map $request_uri $pier_request_path {', '  "~^(?<pier_p>[^?]*)" $pier_p;', '}');
  for (const { name, entries } of byName.values()) {
    const variable = `$pier_header_${n++}`;
    // matched against the path asked for ($uri is /index.html by the time "/" is answered)
    http.push(`map $pier_request_path ${variable} {`, '  default "";');
    for (const [pattern, value] of entries) http.push(`  ${mapKey(pattern)} ${quoted(value)};`);
    http.push('}');
    server.push(`add_header ${name} ${variable};`);
  }

  // routes: {"/**": "index.html"}: a path that is no file is served the route's file (single-page apps)
  const routes = json.routes || {};
  if (typeof routes !== 'object' || Array.isArray(routes)) fail('static.json: routes must be an object');
  const routeEntries = Object.entries(routes);
  if (routeEntries.length) {
    http.push('map $uri $pier_route {', '  default "";');
    for (const [pattern, target] of routeEntries) {
      checkPath(`the route "${pattern}"`, pattern);
      if (typeof target !== 'string' || !target || /[\s;{}"]/.test(target)) {
        fail(`static.json: the route "${pattern}" must name a file of the root, e.g. "index.html"`);
      }
      http.push(`  ${mapKey(pattern)} ${quoted('/' + target.replace(/^\/+/, ''))};`);
    }
    http.push('}');
  }

  if (json.https_only === true) {
    server.unshift('if ($http_x_forwarded_proto = "http") { return 301 https://$host$request_uri; }');
  } else if (json.https_only !== undefined && json.https_only !== false) {
    fail('static.json: https_only must be true or false');
  }
  if (json.clean_urls !== undefined && typeof json.clean_urls !== 'boolean') fail('static.json: clean_urls must be true or false');
  const tries = ['$uri', '$uri/'];
  if (json.clean_urls) {
    tries.push('$uri.html');
    // a request for /about.html is redirected to /about, as on Heroku ($request_uri: not an error page's own
    // internal redirect to /404.html)
    http.push('map $request_uri $pier_clean_url {', '  default "";', '  "~^(?<pier_path>[^?]*)\\.html(?<pier_query>\\?.*)?$" $pier_path$pier_query;', '}');
    server.push('location ~ \\.html$ { if ($pier_clean_url) { return 301 $pier_clean_url; } try_files $uri =404; }');
  }
  if (routeEntries.length) tries.push('$pier_route');
  tries.push('=404');
  if (json.error_page !== undefined) {
    if (typeof json.error_page !== 'string' || !json.error_page || /[\s;{}"]/.test(json.error_page)) {
      fail('static.json: error_page must name a file of the root, e.g. "404.html"');
    }
    server.push(`error_page 404 /${json.error_page.replace(/^\/+/, '')};`);
  }
  if (json.encoding !== undefined) {
    if (typeof json.encoding !== 'string' || !/^[A-Za-z0-9_-]+$/.test(json.encoding)) fail('static.json: encoding must name a charset, e.g. "UTF-8"');
    server.push(`charset ${json.encoding};`);
  }
  if (rootDir === '/app') {
    // the slug's own files are not the site's
    server.push('location ~ ^/(\\.heroku|\\.profile\\.d)(/|$) { return 404; }');
  }
  server.push(`location / { try_files ${tries.join(' ')}; }`);

  lines.push(
    '# Written by Pier\'s static buildpack from static.json; the slug runner starts it with .heroku/static/start',
    'daemon off;',
    'worker_processes auto;',
    'pid /tmp/nginx/nginx.pid;',
    'error_log stderr warn;',
    'events { worker_connections 1024; }',
    'http {',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    '  access_log off;',
    '  sendfile on;',
    '  tcp_nopush on;',
    '  keepalive_timeout 65;',
    '  server_tokens off;',
    '  open_file_cache max=10000 inactive=30s;',
    '  open_file_cache_errors on;',
    '  client_body_temp_path /tmp/nginx/client_body;',
    '  proxy_temp_path /tmp/nginx/proxy;',
    '  fastcgi_temp_path /tmp/nginx/fastcgi;',
    '  uwsgi_temp_path /tmp/nginx/uwsgi;',
    '  scgi_temp_path /tmp/nginx/scgi;',
    '  gzip on;',
    '  gzip_vary on;',
    '  gzip_proxied any;',
    '  gzip_min_length 256;',
    '  gzip_types text/plain text/css text/xml text/javascript application/javascript application/json application/xml application/rss+xml application/atom+xml image/svg+xml application/manifest+json font/ttf font/otf;',
    '  geo $dollar { default "$"; }',
    ...http.map((line) => '  ' + line),
    '  server {',
    '    include /tmp/nginx/listen.conf;',
    `    root ${rootDir};`,
    '    index index.html index.htm;',
    '    absolute_redirect off;',
    ...server.map((line) => '    ' + line),
    '  }',
    '}');
  return lines.join('\n') + '\n';
}

process.stdout.write(config(process.argv[2] || '/app'));
