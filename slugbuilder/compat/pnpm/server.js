const http = require('http');
const ms = require('ms');
let leftPad = 'pruned';
try { require.resolve('left-pad'); leftPad = 'installed'; } catch (e) { /* devDependencies are pruned */ }
http.createServer((req, res) => {
  res.end(`hello from pnpm: ${ms(60000)}, left-pad ${leftPad}\n`);
}).listen(process.env.PORT);
