const http = require('http');
const ms = require('ms');
http.createServer((req, res) => {
  res.end(`hello from yarn berry (Plug'n'Play: ${Boolean(process.versions.pnp)}): ${ms(120000)}\n`);
}).listen(process.env.PORT);
