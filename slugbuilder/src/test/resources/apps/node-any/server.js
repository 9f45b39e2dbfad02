// ES5 only: this app runs on every Node.js line from 0.10 on
var http = require('http');
http.createServer(function (req, res) {
  res.end('hello from node ' + process.version + ' (WEB_CONCURRENCY=' + process.env.WEB_CONCURRENCY
    + ', NODE_OPTIONS=' + process.env.NODE_OPTIONS + ')\n');
}).listen(process.env.PORT);
process.on('SIGTERM', function () { process.exit(0); });
