/// The parts of `websocket.ts` that do not depend on the document: the subscription types and
/// `subscribe`, which every generated helper calls. Written as TypeScript text so it reads as
/// what it is; only the exported type names vary (a schema may take one).
///
/// Like `client.ts` it targets ES2022 with the DOM library (a browser's `WebSocket`,
/// `CloseEvent`), and runs under Node given a `WebSocket` class in the options.
enum WebSocketRuntime {
    /// Names `websocket.ts` exports besides the helpers and their options; `index.ts`
    /// re-exports them next to the schema aliases and the client's names.
    struct Names {
        var messages = "WebSocketMessages"
        var subscription = "WebSocketSubscription"
        var handlers = "WebSocketHandlers"
        var options = "WebSocketOptions"

        /// Names chosen so none is taken; `taken` gains them.
        init(avoiding taken: inout Set<String>) {
            for name in WebSocketRuntime.internalNames { taken.insert(name) }
            messages = TypeScriptNames.unique(messages, in: &taken)
            subscription = TypeScriptNames.unique(subscription, in: &taken)
            handlers = TypeScriptNames.unique(handlers, in: &taken)
            options = TypeScriptNames.unique(options, in: &taken)
        }
    }

    /// Module-level names of the runtime, the import and the globals it calls: a helper
    /// named after one would shadow or clash with it.
    static let internalNames: [String] = [
        "schema", "WebSocketConstructor", "TokenSource", "SubscribeOptions", "subscribe", "webSocketUrl", "asError",
        "WebSocket", "URL", "JSON", "Error", "TypeError", "String", "Promise", "location", "globalThis",
    ]

    /// The subscription, handler and option types, after the message map.
    static func declarations(_ names: Names) -> String {
        """
        /** A subscription: its socket, and how to end it. Nothing reconnects by itself; subscribe again from `onClose`. */
        export interface \(names.subscription) {
          /** The socket, once created: `undefined` while an asynchronous token is awaited or after a failure to connect. */
          readonly socket: WebSocket | undefined;
          /** Closes the socket (code 1000 unless given), or keeps it from opening while the token is awaited. */
          close(code?: number, reason?: string): void;
        }

        /** What a subscription calls; `M` is the type of the server's messages. */
        export interface \(names.handlers)<M> {
          /** Each message, parsed from its JSON text frame. Not validated: the type is what the document promises. */
          onMessage: (message: M) => void;
          /** The socket is open. */
          onOpen?: (event: Event) => void;
          /**
           * An `Event` when the socket fails (browsers give no detail; `onClose` follows). An `Error` when a
           * frame is not JSON text (the frame is skipped; the socket stays open), or when connecting fails
           * before there is a socket: the token function threw or rejected, or the URL is invalid.
           */
          onError?: (error: Event | Error) => void;
          /** The socket closed, whoever closed it. */
          onClose?: (event: CloseEvent) => void;
        }

        /** Where a subscription connects. */
        export interface \(names.options) {
          /**
           * The server's origin and base path, as `ApiClient` takes it (`http://127.0.0.1:8000`): `http` becomes
           * `ws` and `https` `wss`. A relative one is resolved against the page's address.
           */
          baseUrl: string;
          /** The `WebSocket` class to connect with; the global one by default (Node before 22 has none: pass the `ws` package's). */
          WebSocket?: WebSocketConstructor;
        }

        """
    }

    /// `subscribe` and its helpers, after the generated functions.
    static func tail(_ names: Names) -> String {
        """
        type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;
        type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

        interface SubscribeOptions<M> extends \(names.options), \(names.handlers)<M> {
          token?: TokenSource;
        }

        /**
         * Connects to `path` and hands each message to `onMessage`. With `secured`, the token goes as the
         * subprotocol pair `bearer`, token (browsers cannot set an `Authorization` header on a WebSocket; the
         * server answers with the subprotocol `bearer`); without a token the socket opens bare. Never throws:
         * failures to connect go to `onError`.
         */
        function subscribe<M>(path: string, options: SubscribeOptions<M>, secured: boolean): \(names.subscription) {
          let socket: WebSocket | undefined;
          let closed = false;
          const failed = (error: unknown): void => {
            if (!closed) options.onError?.(asError(error));
          };
          const connect = (token: string | undefined): void => {
            if (closed) return;
            let opened: WebSocket;
            try {
              const Socket = options.WebSocket ?? WebSocket;
              const url = webSocketUrl(options.baseUrl, path);
              opened = token === undefined || token === "" ? new Socket(url) : new Socket(url, ["bearer", token]);
            } catch (error) {
              failed(error);
              return;
            }
            socket = opened;
            opened.addEventListener("open", (event) => options.onOpen?.(event));
            opened.addEventListener("message", (event) => {
              let message: M;
              try {
                if (typeof event.data !== "string") throw new TypeError("a binary frame where JSON text was expected");
                message = JSON.parse(event.data) as M;
              } catch (error) {
                options.onError?.(asError(error));
                return;
              }
              // Outside the try: an exception in the handler is the caller's, not a bad frame.
              options.onMessage(message);
            });
            opened.addEventListener("error", (event) => options.onError?.(event));
            opened.addEventListener("close", (event) => options.onClose?.(event));
          };
          const source = secured ? options.token : undefined;
          if (typeof source === "function") {
            try {
              const token = source();
              if (typeof token === "object") token.then(connect, failed);
              else connect(token);
            } catch (error) {
              failed(error);
            }
          } else {
            connect(source);
          }
          return {
            get socket() {
              return socket;
            },
            close(code = 1000, reason?: string) {
              closed = true;
              socket?.close(code, reason);
            },
          };
        }

        /** `baseUrl` + `path` with `http(s):` made `ws(s):`; a relative base is resolved against the page's address. */
        function webSocketUrl(baseUrl: string, path: string): string {
          const page = typeof location === "undefined" ? undefined : location.href;
          const url = new URL(baseUrl.replace(/\\/+$/, "") + path, page);
          if (url.protocol === "http:") url.protocol = "ws:";
          else if (url.protocol === "https:") url.protocol = "wss:";
          return url.href;
        }

        function asError(error: unknown): Error {
          return error instanceof Error ? error : new Error(String(error));
        }

        """
    }
}
