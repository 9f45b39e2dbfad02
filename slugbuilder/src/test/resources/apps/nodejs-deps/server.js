const http = require('http');
const ms = require('ms');
http.createServer((req, res) => {
  res.end(`hello from node ${process.version}: 2h is ${ms('2h')} ms\n`);
}).listen(process.env.PORT, () => console.log(`listening on ${process.env.PORT}`));
process.on('SIGTERM', () => process.exit(0));
