// Notes kept in the app's PostgreSQL database (DATABASE_URL, set by `pier resource add postgres`).
const http = require('http');
const { Pool } = require('pg');

// Without a database (none attached yet, or detached) the app still serves its home page.
const pool = process.env.DATABASE_URL ? new Pool({ connectionString: process.env.DATABASE_URL, max: 4 }) : null;
const ready = pool && pool.query('CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL)');

async function answer(req) {
  const url = new URL(req.url, 'http://app');
  if (url.pathname === '/') {
    return [200, 'notes ' + (process.env.VERSION || 'v1') + (pool ? '' : ', no database attached') + '\n'];
  }
  if (!pool) {
    return [503, 'no database attached (DATABASE_URL is not set)\n'];
  }
  await ready;
  if (req.method === 'POST' && url.pathname === '/notes') {
    const body = url.searchParams.get('body');
    await pool.query('INSERT INTO notes (body) VALUES ($1)', [body]);
    return [201, 'added ' + body + '\n'];
  }
  if (url.pathname === '/notes') {
    const rows = (await pool.query('SELECT body FROM notes ORDER BY id')).rows;
    return [200, rows.map((r) => r.body).join('\n') + '\n'];
  }
  if (url.pathname === '/read-database') {
    // another database on the same server, with this app's credentials: must be refused
    const other = new URL(process.env.DATABASE_URL);
    other.pathname = '/' + url.searchParams.get('name');
    const client = new (require('pg').Client)({ connectionString: other.toString() });
    try {
      await client.connect();
      const rows = (await client.query('SELECT body FROM notes')).rows;
      return [200, 'read ' + rows.length + ' rows\n'];
    } finally {
      client.end().catch(() => {});
    }
  }
  return [200, 'notes ' + (process.env.VERSION || 'v1') + '\n'];
}

http.createServer((req, res) => {
  answer(req).then(([status, body]) => {
    res.statusCode = status;
    res.end(body);
  }, (e) => {
    res.statusCode = 500;
    res.end('error: ' + e.message + '\n');
  });
}).listen(process.env.PORT, () => console.log('notes listening on ' + process.env.PORT));
