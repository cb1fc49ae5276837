/**
 * Preloaded (node --require) into every process of a pipeline under test: any attempt to reach
 * the network — DNS, TCP, TLS, UDP, HTTP(S), fetch — is written to $VZW_NETWORK_LOG and refused.
 * Loopback connections are logged too, marked as such, so the test decides what it allows.
 */
'use strict'
const fs = require('node:fs')
const net = require('node:net')
const tls = require('node:tls')
const dns = require('node:dns')
const dgram = require('node:dgram')
const http = require('node:http')
const https = require('node:https')

const logFile = process.env.VZW_NETWORK_LOG
function record(kind, target) {
  const line = JSON.stringify({ pid: process.pid, kind, target: String(target).slice(0, 200) }) + '\n'
  if (logFile) fs.appendFileSync(logFile, line)
  const err = new Error(`network access refused by the test guard: ${kind} ${target}`)
  err.code = 'EVZWNETWORK'
  throw err
}
const describe = (args) => {
  const a = args[0]
  if (a && typeof a === 'object') return `${a.host ?? a.hostname ?? a.path ?? ''}:${a.port ?? ''}`
  return `${args[1] ?? ''}:${a ?? ''}`
}

const originalConnect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  // net.connect() passes its normalised [options, callback] pair as one array argument.
  const a = Array.isArray(args[0]) ? args[0][0] : args[0]
  // IPC pipes and Unix sockets (child_process channels, tsx's loader pipe) are not network.
  if ((a && typeof a === 'object' && a.path) || (typeof a === 'string' && isNaN(Number(a)))) return originalConnect.apply(this, args)
  return record('tcp', describe([a, args[1]]))
}
tls.connect = (...args) => record('tls', describe(args))
for (const fn of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) dns[fn] = (host) => record('dns', host)
for (const fn of ['lookup', 'resolve', 'resolve4', 'resolve6']) dns.promises[fn] = async (host) => record('dns', host)
dgram.createSocket = () => record('udp', 'socket')
http.request = http.get = (...args) => record('http', typeof args[0] === 'string' ? args[0] : describe(args))
https.request = https.get = (...args) => record('https', typeof args[0] === 'string' ? args[0] : describe(args))
globalThis.fetch = async (input) => record('fetch', typeof input === 'string' ? input : input.url)
