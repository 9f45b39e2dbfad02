const http = require('http');
const version = 'VERSION';
http.createServer((req, res) => {
  console.log(`request ${req.method} ${req.url}`);
  res.end(`hello from node ${version} ${process.env.GREETING || 'no-greeting'}\n`);
}).listen(process.env.PORT, () => console.log(`listening on ${process.env.PORT}`));
