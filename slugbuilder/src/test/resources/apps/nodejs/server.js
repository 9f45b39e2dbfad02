const http = require('http');
const fs = require('fs');
const built = fs.readFileSync(__dirname + '/built.txt', 'utf8');
http.createServer((req, res) => {
  res.end(`hello from node ${process.version} (${built})\n`);
}).listen(process.env.PORT, () => console.log(`listening on ${process.env.PORT}`));
process.on('SIGTERM', () => process.exit(0));
