// Learning Locker's xapi-statements, as the xAPI sink's tests run it: its server listens on every interface unless
// told otherwise, and it takes no host setting, so every server it starts is bound to 127.0.0.1 here.
const http = require('http');
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, ...rest) {
  return listen.call(this, port, '127.0.0.1', ...rest.filter((arg) => typeof arg === 'function'));
};
// The LRS answered a request 500 now and then when its client look-up failed; the likely cause is Node 20's default
// agent keeping connections alive and reusing one the test's endpoint had closed. One connection a look-up.
http.globalAgent = new http.Agent({ keepAlive: false });
require('xapi-statements/dist/index.js');
