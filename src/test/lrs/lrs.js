// Learning Locker's xapi-statements, as the xAPI sink's tests run it: its server listens on every interface unless
// told otherwise, and it takes no host setting, so every server it starts is bound to 127.0.0.1 here.
const http = require('http');
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, ...rest) {
  return listen.call(this, port, '127.0.0.1', ...rest.filter((arg) => typeof arg === 'function'));
};
require('xapi-statements/dist/index.js');
