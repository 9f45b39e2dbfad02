const http = require('http');
const addon = require('hello-addon');
http.createServer((req, res) => {
  res.end(`${addon.hello()} (Node.js ${process.version}, N-API ${process.versions.napi})\n`);
}).listen(process.env.PORT);
