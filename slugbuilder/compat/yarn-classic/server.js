const http = require('http');
const ms = require('ms');
let leftPad = 'pruned';
try { require.resolve('left-pad'); leftPad = 'installed'; } catch (e) { /* devDependencies are pruned */ }
http.createServer((req, res) => {
  res.end(`hello from yarn classic: ${ms(90000)}, left-pad ${leftPad}, yarn on PATH: ${process.env.PATH.includes('/app/.heroku/yarn/bin')}\n`);
}).listen(process.env.PORT);
