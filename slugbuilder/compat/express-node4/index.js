var express = require('express');
var app = express();

app.set('port', (process.env.PORT || 5000));

app.get('/', function(request, response) {
  response.send('Hello from Express on Node.js ' + process.version + ' (NODE_ENV=' + process.env.NODE_ENV + ')\n');
});

app.listen(app.get('port'), function() {
  console.log('Node app is running on port', app.get('port'));
});
