// Runs the client generated from petstore.yaml (compiled by tsc into ./js) against a fake
// `fetch` that records each request, and checks what goes over the wire and what comes back.
// Prints "ok" when every check passes; any failed assertion exits non-zero.
import assert from "node:assert/strict";
import { ApiClient } from "./js/client.js";

const calls = [];
let reply = () => new Response(null, { status: 204 });
const fetch = async (url, init) => {
  calls.push({ url, init });
  return reply(url, init);
};
const json = (value, status = 200, type = "application/json") =>
  new Response(JSON.stringify(value), { status, headers: { "Content-Type": type } });
const last = () => calls[calls.length - 1];

const client = new ApiClient({ baseUrl: "https://pets.example.com/", fetch, token: "t0k", headers: { "X-Client": "test" } });

// Query styles (form explode, deepObject, pipeDelimited), header and cookie parameters; a public operation sends no token.
reply = () => json({ items: [] });
let result = await client.listPets({
  query: { limit: 5, tags: ["a", "b c"], filter: { status: "sold", born_after: "2020-01-01" }, ids: [1, 2] },
  header: { "X-Request-ID": "r1" },
  cookie: { session: "s 1" },
});
assert.deepEqual(result.ok, true);
assert.equal(result.status, 200);
assert.deepEqual(result.data, { items: [] });
assert.ok(result.response instanceof Response);
assert.equal(
  last().url,
  "https://pets.example.com/pets?limit=5&tags=a&tags=b+c&filter%5Bstatus%5D=sold&filter%5Bborn_after%5D=2020-01-01&ids=1%7C2",
);
assert.equal(last().init.method, "GET");
assert.equal(last().init.headers["X-Request-ID"], "r1");
assert.equal(last().init.headers["X-Client"], "test");
assert.equal(last().init.headers.Cookie, "session=s%201");
assert.equal(last().init.headers.Authorization, undefined);
assert.equal(last().init.body, undefined);

// Omitted optional parameters leave no trace.
await client.listPets();
assert.equal(last().url, "https://pets.example.com/pets");

// `default` documents every other status.
reply = () => json({ title: "Unavailable" }, 503, "application/problem+json");
result = await client.listPets();
assert.equal(result.ok, false);
assert.equal(result.status, 503);
assert.deepEqual(result.error, { title: "Unavailable" });

// Path parameters are percent-encoded; a secured operation sends the bearer token; an empty 204 is `undefined`.
reply = () => new Response(null, { status: 204 });
result = await client.delete({ path: { petId: "a b/c" } });
assert.equal(last().url, "https://pets.example.com/pets/a%20b%2Fc");
assert.equal(last().init.method, "DELETE");
assert.equal(last().init.headers.Authorization, "Bearer t0k");
assert.equal(result.ok, true);
assert.equal(result.status, 204);
assert.equal(result.data, undefined);

// A status under a documented range (4XX) is an error with its parsed body.
reply = () => json({ title: "Conflict" }, 409, "application/problem+json");
result = await client.delete({ path: { petId: "1" } });
assert.equal(result.ok, false);
assert.equal(result.status, 409);
assert.equal(result.error.title, "Conflict");

// JSON bodies.
reply = () => json({ id: "p1", name: "Rex", kind: "dog", default: false }, 201);
result = await client.createPet({ body: { name: "Rex" } });
assert.equal(last().init.method, "POST");
assert.equal(last().init.headers["Content-Type"], "application/json");
assert.equal(last().init.body, '{"name":"Rex"}');
assert.equal(result.ok, true);
assert.equal(result.data.name, "Rex");

// Multipart bodies: FormData, files as Blobs, no Content-Type of our own (fetch adds the boundary).
await client.createPet({ contentType: "multipart/form-data", body: { name: "Rex", photo: new Blob(["png"]) } });
assert.ok(last().init.body instanceof FormData);
assert.equal(last().init.body.get("name"), "Rex");
assert.ok(last().init.body.get("photo") instanceof Blob);
assert.equal(last().init.headers["Content-Type"], undefined);

// Form bodies: URLSearchParams, with the document's deepObject encoding for `metadata`.
reply = () => json({ access_token: "abc" });
result = await client.logIn({ body: { username: "u", password: "p w", scope: "", metadata: { source: "test" } } });
assert.ok(last().init.body instanceof URLSearchParams);
assert.equal(last().init.body.toString(), "username=u&password=p+w&scope=&metadata%5Bsource%5D=test");
assert.equal(last().init.headers["Content-Type"], "application/x-www-form-urlencoded");
assert.equal(last().init.headers.Authorization, undefined);
assert.equal(result.data.access_token, "abc");

// Binary bodies go as given, with their content type.
reply = () => new Response(null, { status: 204 });
const bytes = new Uint8Array([1, 2, 3]);
await client.uploadPhoto({ path: { petId: "1" }, body: bytes });
assert.equal(last().init.body, bytes);
assert.equal(last().init.headers["Content-Type"], "image/png");

// Binary and text responses; a 2XX range is a success.
reply = () => new Response(new Uint8Array([137, 80]), { status: 200, headers: { "Content-Type": "image/png" } });
result = await client.getPhoto({ path: { petId: "1" } });
assert.ok(result.data instanceof Blob);
assert.equal(result.data.size, 2);
reply = () => new Response("later", { status: 202, headers: { "Content-Type": "text/plain" } });
result = await client.getPhoto({ path: { petId: "1" } });
assert.equal(result.ok, true);
assert.equal(result.status, 202);
assert.equal(result.data, "later");
reply = () => new Response("up", { status: 200, headers: { "Content-Type": "text/plain" } });
result = await client.class();
assert.equal(result.data, "up");

// Undocumented statuses: not ok, the body parsed by its content type.
reply = () => new Response("boom", { status: 500, headers: { "Content-Type": "text/plain" } });
result = await client.getPet({ path: { petId: "1" } });
assert.equal(result.ok, false);
assert.equal(result.status, 500);
assert.equal(result.error, "boom");
reply = () => json({ title: "Teapot" }, 418);
result = await client.getPet({ path: { petId: "1" } });
assert.deepEqual(result.error, { title: "Teapot" });

// The token: a function called per request, replaced or removed by setToken.
const tokens = [];
const withFunction = new ApiClient({
  baseUrl: "https://pets.example.com",
  fetch,
  token: async () => {
    tokens.push("asked");
    return "fresh";
  },
});
reply = () => json({ id: "p1", name: "Rex", kind: "cat" });
await withFunction.getPet({ path: { petId: "1" } });
assert.equal(last().init.headers.Authorization, "Bearer fresh");
assert.equal(tokens.length, 1);
withFunction.setToken("other");
await withFunction.getPet({ path: { petId: "1" } });
assert.equal(last().init.headers.Authorization, "Bearer other");
withFunction.setToken(undefined);
await withFunction.getPet({ path: { petId: "1" } });
assert.equal(last().init.headers.Authorization, undefined);

// Per-call headers win; the abort signal reaches fetch.
const controller = new AbortController();
await client.getPet({ path: { petId: "1" }, headers: { Authorization: "Bearer override" }, signal: controller.signal });
assert.equal(last().init.headers.Authorization, "Bearer override");
assert.equal(last().init.signal, controller.signal);

// Network errors propagate.
const failing = new ApiClient({
  baseUrl: "https://pets.example.com",
  fetch: async () => {
    throw new TypeError("network down");
  },
});
await assert.rejects(failing.getPet({ path: { petId: "1" } }), /network down/);

// A documented JSON body that does not parse is an error too.
reply = () => new Response("<html>", { status: 200, headers: { "Content-Type": "application/json" } });
await assert.rejects(client.getPet({ path: { petId: "1" } }), SyntaxError);

console.log("ok");
