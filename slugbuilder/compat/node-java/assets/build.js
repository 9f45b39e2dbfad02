// the "asset pipeline": writes a file that the Java build packages into its jar
const fs = require('fs');
fs.mkdirSync('src/main/resources/static', { recursive: true });
fs.writeFileSync('src/main/resources/static/greeting.txt', `built by Node.js ${process.version}`);
