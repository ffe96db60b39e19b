// Type-checked next to the files generated from websocket.yaml: what a React app writes to
// subscribe must compile, and each `@ts-expect-error` line must be an error.
import { ApiClient, petEvents, presence, subscribeWsFeed } from "./index";
import type { FeedEntry, Pet, PetEvent, WebSocketMessages, WebSocketSubscription } from "./index";

export function exercise(storage: Map<string, string>, seen: string[]): WebSocketSubscription[] {
  const baseUrl = "http://127.0.0.1:8000";
  const client = new ApiClient({ baseUrl, token: () => storage.get("token") });
  void client;

  // The message is typed from `receive`; the token is a function, asked on connecting.
  const events = petEvents({
    baseUrl,
    token: () => storage.get("token"),
    onMessage: (message) => {
      const event: "created" | "updated" | "deleted" = message.event;
      const pet: Pet | undefined = message.pet;
      seen.push(event, message.pet_id, pet?.name ?? "");
    },
    onOpen: (event: Event) => seen.push(event.type),
    onError: (error) => seen.push(error instanceof Event ? error.type : error.message),
    onClose: (event) => seen.push(String(event.code), event.reason),
  });
  const socket: WebSocket | undefined = events.socket;
  seen.push(String(socket?.readyState));
  events.close();
  events.close(4000, "done");

  // An asynchronous token, and the socket class given explicitly (as Node before 22 needs).
  const withPromise = petEvents({ baseUrl, token: async () => "t0k", WebSocket, onMessage: (message: PetEvent) => seen.push(message.event) });

  // A public entry takes no token; an optional one may go without.
  const feed = subscribeWsFeed({ baseUrl, onMessage: (entry: FeedEntry) => seen.push(entry.text) });
  const anonymous = presence({ baseUrl, onMessage: (message) => seen.push(String(message.online)) });
  const signedIn = presence({ baseUrl, token: "t0k", onMessage: (message) => seen.push(String(message.online)) });

  // For code that opens its own sockets: the message type by path.
  const raw = new WebSocket("ws://127.0.0.1:8000/ws/presence");
  raw.addEventListener("message", (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as WebSocketMessages["/ws/presence"];
    seen.push(String(message.online));
  });

  // @ts-expect-error a secured entry needs its token
  petEvents({ baseUrl, onMessage: () => undefined });
  // @ts-expect-error a public entry takes no token
  subscribeWsFeed({ baseUrl, token: "t0k", onMessage: () => undefined });
  // @ts-expect-error messages are typed: `online` is a number
  presence({ baseUrl, onMessage: (message) => message.online.toUpperCase() });
  // @ts-expect-error `onMessage` is required
  presence({ baseUrl });
  // @ts-expect-error the socket is read-only
  feed.socket = undefined;
  // @ts-expect-error no such path
  type Missing = WebSocketMessages["/ws/nowhere"];

  return [events, withPromise, feed, anonymous, signedIn];
}
