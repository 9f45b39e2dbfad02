// Notes kept in the app's Redis (REDIS_URL, set by `pier resource add redis`: a redis-server of its own), as one list.
const http = require('http');
const { createClient } = require('redis');

// Without a Redis (none attached yet, or detached) the app still serves its home page.
const client = process.env.REDIS_URL ? createClient({ url: process.env.REDIS_URL }) : null;
if (client) {
  client.on('error', (e) => console.error('redis: ' + e.message));
}
const ready = client && client.connect();
const NOTES = 'notes';

async function answer(req) {
  const url = new URL(req.url, 'http://app');
  if (url.pathname === '/') {
    return [200, 'notes ' + (process.env.VERSION || 'v1') + (client ? '' : ', no redis attached') + '\n'];
  }
  if (!client) {
    return [503, 'no redis attached (REDIS_URL is not set)\n'];
  }
  await ready;
  if (req.method === 'POST' && url.pathname === '/notes') {
    const body = url.searchParams.get('body');
    await client.rPush(NOTES, body);
    return [201, 'added ' + body + '\n'];
  }
  if (url.pathname === '/notes') {
    const notes = await client.lRange(NOTES, 0, -1);
    return [200, notes.join('\n') + '\n'];
  }
  if (url.pathname === '/read-as-me') {
    // another resource's Redis (hostport) and key, with this app's credentials: must be refused
    const other = new URL(process.env.REDIS_URL);
    other.host = url.searchParams.get('hostport');
    // one try: a refused AUTH is the answer, not a reason to reconnect
    const foreign = createClient({ url: other.toString(), socket: { reconnectStrategy: (retries, cause) => (cause instanceof Error ? cause : new Error('refused')) } });
    foreign.on('error', () => {});
    try {
      await foreign.connect();
      const notes = await foreign.lRange(url.searchParams.get('key'), 0, -1);
      return [200, 'read ' + notes.length + ' notes\n'];
    } finally {
      foreign.disconnect().catch(() => {});
    }
  }
  return [404, 'no such page\n'];
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
