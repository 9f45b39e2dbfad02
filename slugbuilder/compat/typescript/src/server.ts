import { createServer } from 'http';
import { readFileSync } from 'fs';

const order: string = readFileSync(__dirname + '/../build-order.txt', 'utf8').trim().split('\n').join(' > ');
let typescript = 'pruned';
try {
  require.resolve('typescript');
  typescript = 'installed';
} catch (e) {
  // devDependencies are pruned after the build
}

createServer((req, res) => {
  res.end(`hello from TypeScript on Node.js ${process.version}: build order ${order}; typescript ${typescript}\n`);
}).listen(Number(process.env.PORT));
