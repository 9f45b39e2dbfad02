const http = require('http');
http.createServer((req, res) => {
  res.end(`hello from node ${process.version} on the stack's runtime\n`);
}).listen(process.env.PORT, () => console.log(`listening on ${process.env.PORT}`));
process.on('SIGTERM', () => process.exit(0));
