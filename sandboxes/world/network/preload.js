/**
 * Makes the learner's own Node programs see the lab network. Loaded with
 *   NODE_OPTIONS="--import <world>/network/preload.js"
 * in the lab shell, it translates connections to simulated names and addresses
 * (db.cloudpets.test:27017, 203.0.113.20:80, …) into the real loopback listeners from
 * .lab/network.json. Everything else connects as usual.
 *
 * Why patch net.Socket#connect: it is the one place every TCP client goes through (http,
 * fetch/undici, the mongodb driver), so one small wrapper covers them all; dns.lookup is
 * wrapped too so programs that resolve a .test name themselves get its simulated address.
 * The lab bundle builds it with esbuild into plain JavaScript, which any Node loads. From the
 * sources it imports the TypeScript modules beside it, so it then needs a TypeScript loader
 * (tsx, or Node's own type stripping from 23.6 on).
 */
import dns from 'node:dns';
import { statSync } from 'node:fs';
import net from 'node:net';
import { isSimulatedName, lookupAddress, nameNotFound, resolve } from './resolve.ts';
import { locateNetworkMap, readNetworkMap } from './network-map.ts';

const from = process.env.CLOUDPETS_NETWORK_FROM === 'app' ? 'app' : 'learner';

/**
 * The map, re-read only when its file changed: every connection and lookup of a lab name asks
 * for it, and the ports in it change each time the world restarts.
 */
let cached;
function currentMap() {
  try {
    const path = locateNetworkMap();
    const stamp = `${path}:${statSync(path).mtimeMs}`;
    if (cached?.stamp !== stamp) cached = { stamp, map: readNetworkMap(path) };
    return cached.map;
  } catch {
    cached = undefined;
    return undefined; // no world running: simulated names simply do not resolve
  }
}

function connectTarget(args) {
  const first = args[0];
  if (first && typeof first === 'object') {
    if (Array.isArray(first)) return connectTarget(first); // internal normalised form
    if (first.path) return undefined;
    return { host: first.host ?? 'localhost', port: first.port, options: first };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first, options: undefined };
  }
  return undefined;
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  const wanted = connectTarget(args);
  if (!wanted || !isSimulatedName(String(wanted.host))) return originalConnect.apply(this, args);
  const map = currentMap();
  let real;
  try {
    if (!map) throw nameNotFound(String(wanted.host));
    real = resolve(String(wanted.host), Number(wanted.port), { map, from });
  } catch (error) {
    // Fail like a real connection attempt would: asynchronously, through the 'error' event.
    this.connecting = true;
    setImmediate(() => this.destroy(error));
    return this;
  }
  const callback = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
  const options = { ...(wanted.options ?? {}), host: real.host, port: real.port };
  delete options.lookup; // the real host is a literal loopback address
  return callback ? originalConnect.call(this, options, callback) : originalConnect.call(this, options);
};

const originalLookup = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  const opts = typeof options === 'function' || options === undefined ? {} : typeof options === 'number' ? { family: options } : options;
  if (typeof hostname === 'string' && hostname.toLowerCase().endsWith('.test')) {
    const address = lookupAddress(hostname, currentMap());
    process.nextTick(() => {
      if (!address) {
        done(nameNotFound(hostname));
      } else if (opts.all) {
        done(null, [{ address, family: 4 }]);
      } else {
        done(null, address, 4);
      }
    });
    return {};
  }
  return originalLookup.call(this, hostname, options, callback);
};

const originalPromiseLookup = dns.promises.lookup;
dns.promises.lookup = async function lookup(hostname, options) {
  if (typeof hostname === 'string' && hostname.toLowerCase().endsWith('.test')) {
    const address = lookupAddress(hostname, currentMap());
    if (!address) throw nameNotFound(hostname);
    const opts = typeof options === 'number' ? { family: options } : (options ?? {});
    return opts.all ? [{ address, family: 4 }] : { address, family: 4 };
  }
  return originalPromiseLookup.call(this, hostname, options);
};
