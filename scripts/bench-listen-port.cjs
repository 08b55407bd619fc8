// Preload for the shared ceiling server (../shared/bench/lib/ceiling.mjs listens on a fixed 3999):
// moves that one listen to BENCH_CEILING_PORT so bench servers stay in the port range we were given.
const net = require('node:net');

const target = Number(process.env.BENCH_CEILING_PORT);
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, ...rest) {
  return listen.call(this, port === 3999 && target ? target : port, ...rest);
};
