// Runs the helpers generated from websocket.yaml (compiled by tsc into ./js) with a fake
// `WebSocket` class that records each socket, and checks the URL, the subprotocols, how
// frames reach the handlers and how closing works. Prints "ok" when every check passes; any
// failed assertion exits non-zero.
import assert from "node:assert/strict";
import { petEvents, presence, subscribeWsFeed } from "./js/websocket.js";

const sockets = [];
class FakeSocket {
  constructor(url, ...protocols) {
    this.url = url;
    // Only what was passed: a bare socket gets no second argument at all.
    this.protocols = protocols;
    this.listeners = {};
    this.closed = undefined;
    sockets.push(this);
  }
  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }
  emit(type, event = {}) {
    for (const listener of this.listeners[type] ?? []) listener({ type, ...event });
  }
  close(code, reason) {
    this.closed = { code, reason };
    this.emit("close", { code, reason });
  }
}
const last = () => sockets[sockets.length - 1];
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

// A secured entry: https becomes wss, the base path and trailing slash are kept tidy, the token
// goes as the subprotocol pair, and the subscription holds the socket at once.
const seen = [];
let subscription = petEvents({
  baseUrl: "https://pets.example.com/api/",
  token: "t0k",
  WebSocket: FakeSocket,
  onMessage: (message) => seen.push(["message", message]),
  onOpen: (event) => seen.push(["open", event.type]),
  onError: (error) => seen.push(["error", error]),
  onClose: (event) => seen.push(["close", event.code]),
});
let socket = last();
assert.equal(socket.url, "wss://pets.example.com/api/ws/pets/events");
assert.deepEqual(socket.protocols, [["bearer", "t0k"]]);
assert.equal(subscription.socket, socket);

// Each JSON text frame is parsed and handed over; open, error and close pass through.
socket.emit("open");
socket.emit("message", { data: '{"event":"created","pet_id":"p1"}' });
assert.deepEqual(seen, [["open", "open"], ["message", { event: "created", pet_id: "p1" }]]);
seen.length = 0;
const failure = { reason: "network" };
socket.emit("error", failure);
assert.equal(seen[0][0], "error");
assert.equal(seen[0][1].reason, "network");
seen.length = 0;

// A frame that is not JSON text goes to onError as an Error; the socket stays open.
socket.emit("message", { data: "<html>" });
socket.emit("message", { data: new ArrayBuffer(2) });
assert.equal(seen.length, 2);
assert.ok(seen[0][1] instanceof SyntaxError);
assert.ok(seen[1][1] instanceof TypeError);
assert.equal(socket.closed, undefined);
seen.length = 0;

// An exception in onMessage is the caller's: it is not reported as a bad frame.
const throwing = petEvents({
  baseUrl: "https://pets.example.com",
  token: "t0k",
  WebSocket: FakeSocket,
  onMessage: () => {
    throw new RangeError("handler failed");
  },
  onError: (error) => seen.push(["error", error]),
});
assert.throws(() => last().emit("message", { data: "{}" }), RangeError);
assert.equal(seen.length, 0);
throwing.close();

// close() closes with 1000 unless told otherwise; onClose hears it.
subscription.close();
assert.deepEqual(socket.closed, { code: 1000, reason: undefined });
assert.deepEqual(seen, [["close", 1000]]);
seen.length = 0;
petEvents({ baseUrl: "https://pets.example.com", token: "t0k", WebSocket: FakeSocket, onMessage: () => {} }).close(4000, "bye");
assert.deepEqual(last().closed, { code: 4000, reason: "bye" });

// A public entry: http becomes ws, and the socket opens without subprotocols.
subscribeWsFeed({ baseUrl: "http://127.0.0.1:8000", WebSocket: FakeSocket, onMessage: () => {} });
assert.equal(last().url, "ws://127.0.0.1:8000/ws/feed");
assert.deepEqual(last().protocols, []);

// An optional token: without one (or an empty one) the socket opens bare.
presence({ baseUrl: "http://h", WebSocket: FakeSocket, onMessage: () => {} });
assert.deepEqual(last().protocols, []);
presence({ baseUrl: "http://h", token: () => "", WebSocket: FakeSocket, onMessage: () => {} });
assert.deepEqual(last().protocols, []);
presence({ baseUrl: "http://h", token: () => "t1", WebSocket: FakeSocket, onMessage: () => {} });
assert.deepEqual(last().protocols, [["bearer", "t1"]]);

// An asynchronous token: the socket comes once it resolves.
let count = sockets.length;
subscription = petEvents({ baseUrl: "https://pets.example.com", token: async () => "fresh", WebSocket: FakeSocket, onMessage: () => {} });
assert.equal(subscription.socket, undefined);
assert.equal(sockets.length, count);
await tick();
assert.equal(sockets.length, count + 1);
assert.deepEqual(last().protocols, [["bearer", "fresh"]]);
assert.equal(subscription.socket, last());

// Closed while the token is awaited: no socket is ever opened.
count = sockets.length;
subscription = petEvents({ baseUrl: "https://pets.example.com", token: async () => "late", WebSocket: FakeSocket, onMessage: () => {} });
subscription.close();
await tick();
assert.equal(sockets.length, count);
assert.equal(subscription.socket, undefined);

// Failures before there is a socket go to onError, never thrown: a token function that throws
// or rejects, an address that is not absolute outside a browser, no WebSocket class (node 20).
const errors = [];
const onError = (error) => errors.push(error);
count = sockets.length;
petEvents({
  baseUrl: "https://h",
  token: () => {
    throw new Error("no session");
  },
  WebSocket: FakeSocket,
  onMessage: () => {},
  onError,
});
petEvents({ baseUrl: "https://h", token: () => Promise.reject("expired"), WebSocket: FakeSocket, onMessage: () => {}, onError });
await tick();
subscribeWsFeed({ baseUrl: "/relative", WebSocket: FakeSocket, onMessage: () => {}, onError });
subscribeWsFeed({ baseUrl: "https://h", onMessage: () => {}, onError });
assert.equal(sockets.length, count);
assert.deepEqual(
  errors.map((error) => [error instanceof Error, error.message]),
  [
    [true, "no session"],
    [true, "expired"],
    [true, "Invalid URL"],
    [true, "WebSocket is not defined"],
  ],
);

// In a browser a relative base is resolved against the page.
globalThis.location = { href: "https://app.example.com/items/7" };
subscribeWsFeed({ baseUrl: "", WebSocket: FakeSocket, onMessage: () => {} });
assert.equal(last().url, "wss://app.example.com/ws/feed");
delete globalThis.location;

console.log("ok");
