/// The parts of `client.ts` that do not depend on the document: the option and result types,
/// and the request machinery every operation method calls. Written as TypeScript text so it
/// reads as what it is; only the exported type names vary (a schema may take one).
///
/// It targets ES2022 with the DOM library and needs TypeScript 4.8 or later: no decorators,
/// no `satisfies`, `#private` members so operation names never collide with the client's own.
enum ClientRuntime {
    /// Names `client.ts` exports besides the per-operation types; `index.ts` re-exports them
    /// next to the schema aliases, so they must differ from every schema name.
    struct Names {
        var client = "ApiClient"
        var options = "ApiClientOptions"
        var requestOptions = "RequestOptions"
        /// The status classes, 1xx to 5xx, then every status.
        var statusClasses = [
            "InformationalStatus", "SuccessStatus", "RedirectionStatus", "ClientErrorStatus", "ServerErrorStatus",
        ]
        var httpStatus = "HttpStatus"
        var undocumented = "UndocumentedResponse"
        var multipartBody = "MultipartBody"
        var binaryBody = "BinaryBody"

        /// Names chosen so none is taken; `taken` gains them.
        init(avoiding taken: inout Set<String>) {
            for name in ClientRuntime.internalTypeNames { taken.insert(name) }
            client = TypeScriptNames.unique(client, in: &taken)
            options = TypeScriptNames.unique(options, in: &taken)
            requestOptions = TypeScriptNames.unique(requestOptions, in: &taken)
            statusClasses = statusClasses.map { TypeScriptNames.unique($0, in: &taken) }
            httpStatus = TypeScriptNames.unique(httpStatus, in: &taken)
            undocumented = TypeScriptNames.unique(undocumented, in: &taken)
            multipartBody = TypeScriptNames.unique(multipartBody, in: &taken)
            binaryBody = TypeScriptNames.unique(binaryBody, in: &taken)
        }
    }

    /// Module-private type names of the runtime; generated names must not reuse them.
    static let internalTypeNames: [String] = [
        "ParameterStyle", "ParameterEncoding", "BodyKind", "ResponseKind", "OperationSpec", "OperationInput",
        "SentResult", "FetchFunction", "TokenSource",
    ]

    /// The exported option and result types, before the per-operation types.
    static func declarations(_ names: Names) -> String {
        """
        /** How an `\(names.client)` reaches the server. */
        export interface \(names.options) {
          /** The server's origin and base path, e.g. `http://127.0.0.1:8000`; operation paths are appended to it. */
          baseUrl: string;
          /** The `fetch` to call (to add logging or retries, or in tests); the global one by default. */
          fetch?: typeof fetch;
          /** The bearer token for operations that require one, or a function returning it (called on each such request). */
          token?: TokenSource;
          /** Headers sent with every request. */
          headers?: Record<string, string>;
        }

        /** What every operation accepts besides its parameters and body. */
        export interface \(names.requestOptions) {
          /** Extra headers for this request; they win over the client's and the documented ones. */
          headers?: Record<string, string>;
          /** Aborts the request. */
          signal?: AbortSignal;
        }

        \(statusDeclarations(names))
        /** The result of a status the operation does not document (one of `S`): `error` holds the body, parsed when it is JSON. */
        export interface \(names.undocumented)<S extends number> {
          ok: false;
          status: S;
          error: unknown;
          response: Response;
        }

        /** A `multipart/form-data` body: any field may be given as a file. */
        export type \(names.multipartBody)<T> = { [K in keyof T]: T[K] | Blob | Blob[] };

        /** A body sent as raw bytes. */
        export type \(names.binaryBody) = Blob | ArrayBuffer | ArrayBufferView | string;

        type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

        """
    }

    /// `SuccessStatus = 200 | 201 | …` for each class and `HttpStatus` for all: exact unions
    /// of literals, so a result member for a range, `default` or an undocumented status can say
    /// `Exclude<HttpStatus, 200 | 404>` and `status === 404` still narrows to the 404 alone.
    private static func statusDeclarations(_ names: Names) -> String {
        var text = "/** HTTP status codes by class, and all of them: what a result's `status` can be. */\n"
        for (offset, name) in names.statusClasses.enumerated() {
            let first = (offset + 1) * 100
            text += "export type \(name) =\n"
            for row in stride(from: first, to: first + 100, by: 10) {
                let codes = (row..<row + 10).map(String.init).joined(separator: " | ")
                text += "  | \(codes)\(row == first + 90 ? ";" : "")\n"
            }
        }
        text += "export type \(names.httpStatus) = \(names.statusClasses.joined(separator: " | "));\n"
        return text
    }

    /// The client's fields, constructor and `setToken`, after `export class … {`.
    static func classHead(_ names: Names) -> String {
        """
          #baseUrl: string;
          #fetch: FetchFunction;
          #token: TokenSource | undefined;
          #headers: Record<string, string>;

          constructor(options: \(names.options)) {
            this.#baseUrl = options.baseUrl.replace(/\\/+$/, "");
            this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
            this.#token = options.token;
            this.#headers = { ...options.headers };
          }

          /** Replaces the bearer token; `undefined` signs out. */
          setToken(token?: string): void {
            this.#token = token;
          }

        """
    }

    /// `#send`, the one method every operation calls, and the class's closing brace.
    static let classTail = """
          /**
           * Sends one request as `operation` describes it and reads the response by its documented
           * status. Network errors (a rejected `fetch`) propagate; so does a documented JSON body
           * that does not parse.
           */
          async #send<R extends SentResult>(input: OperationInput, operation: OperationSpec): Promise<R> {
            const path = operation.path.replace(/\\{([^}]+)\\}/g, (_match: string, name: string) =>
              pathValue(name, field(input.path, name), operation.pathParameters?.[name] ?? ["simple", false]),
            );
            const query = new URLSearchParams();
            for (const [name, encoding] of Object.entries(operation.query ?? {})) {
              for (const [key, value] of pairs(name, field(input.query, name), encoding)) query.append(key, value);
            }
            const headers: Record<string, string> = { ...this.#headers };
            for (const [name, encoding] of Object.entries(operation.header ?? {})) {
              const value = field(input.header, name);
              if (value !== undefined && value !== null) headers[name] = simpleValue(value, encoding[1]);
            }
            const cookies: string[] = [];
            for (const [name, encoding] of Object.entries(operation.cookie ?? {})) {
              for (const [key, value] of pairs(name, field(input.cookie, name), encoding)) {
                cookies.push(`${key}=${encodeURIComponent(value)}`);
              }
            }
            if (cookies.length > 0) headers["Cookie"] = cookies.join("; ");
            let body: BodyInit | undefined;
            if (operation.body !== undefined && input.body !== undefined) {
              const contentType = input.contentType ?? Object.keys(operation.body)[0];
              const kind = operation.body[contentType] ?? "json";
              body = encodeBody(input.body, kind, operation.encoding);
              // FormData sets its own boundary; a wildcard is no type to send.
              if (kind !== "multipart" && !contentType.includes("*")) headers["Content-Type"] = contentType;
            }
            if (operation.secured === true) {
              const token = typeof this.#token === "function" ? await this.#token() : this.#token;
              if (token !== undefined && token !== "") headers["Authorization"] = `Bearer ${token}`;
            }
            Object.assign(headers, input.headers);
            const search = query.toString();
            const url = this.#baseUrl + path + (search === "" ? "" : `?${search}`);
            // Called unbound: browsers reject `fetch` invoked as a method of another object.
            const send = this.#fetch;
            const response = await send(url, { method: operation.method, headers, body, signal: input.signal });
            const status = response.status;
            const key = responseKey(operation.responses, status);
            if (key === undefined) {
              return { ok: false, status, error: await readBody(response, "auto"), response } as R;
            }
            const value = await readBody(response, operation.responses[key]);
            const ok = key === "default" ? false : key.endsWith("XX") ? key === "2XX" : status >= 200 && status < 300;
            return (ok ? { ok, status, data: value, response } : { ok, status, error: value, response }) as R;
          }
        }

        type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;
        type ParameterStyle = "simple" | "label" | "matrix" | "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
        /** How a parameter is written: its style, and whether arrays and objects are exploded. */
        type ParameterEncoding = readonly [style: ParameterStyle, explode: boolean];
        type BodyKind = "json" | "text" | "form" | "multipart" | "binary";
        type ResponseKind = "json" | "text" | "blob" | "formData" | "none" | "auto";

        /** One operation as `#send` needs it; the methods above spell one out each. */
        interface OperationSpec {
          method: string;
          path: string;
          pathParameters?: Record<string, ParameterEncoding>;
          query?: Record<string, ParameterEncoding>;
          header?: Record<string, ParameterEncoding>;
          cookie?: Record<string, ParameterEncoding>;
          /** Content type → how the body is encoded; the first is the default. */
          body?: Record<string, BodyKind>;
          /** How the fields of a form body are written, where the document says. */
          encoding?: Record<string, ParameterEncoding>;
          /** Sends the bearer token. */
          secured?: boolean;
          /** Status code, range (`4XX`) or `default` → how the body is read. */
          responses: Record<string, ResponseKind>;
        }

        interface OperationInput {
          path?: object;
          query?: object;
          header?: object;
          cookie?: object;
          body?: unknown;
          contentType?: string;
          headers?: Record<string, string>;
          signal?: AbortSignal;
        }

        interface SentResult {
          ok: boolean;
          status: number;
          data?: unknown;
          error?: unknown;
          response: Response;
        }

        function field(values: object | undefined, name: string): unknown {
          return values === undefined ? undefined : (values as Record<string, unknown>)[name];
        }

        function text(value: unknown): string {
          if (value instanceof Date) return value.toISOString();
          return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
        }

        /** The name–value pairs of a query, cookie or form field (`form` explodes arrays into repeated keys, `deepObject` writes `a[b]=c`). */
        function pairs(name: string, value: unknown, encoding: ParameterEncoding): [string, string][] {
          const [style, explode] = encoding;
          if (value === undefined || value === null) return [];
          if (Array.isArray(value)) {
            const items = value.filter((item) => item !== undefined && item !== null).map(text);
            if (style === "deepObject") return items.map((item): [string, string] => [`${name}[]`, item]);
            if (explode && style === "form") return items.map((item): [string, string] => [name, item]);
            const separator = style === "spaceDelimited" ? " " : style === "pipeDelimited" ? "|" : ",";
            return [[name, items.join(separator)]];
          }
          if (typeof value === "object" && !(value instanceof Date)) {
            const entries = Object.entries(value).filter(([, item]) => item !== undefined && item !== null);
            if (style === "deepObject") {
              return entries.flatMap(([key, item]) => pairs(`${name}[${key}]`, item, ["deepObject", true]));
            }
            if (explode) return entries.map(([key, item]): [string, string] => [key, text(item)]);
            return [[name, entries.map(([key, item]) => `${key},${text(item)}`).join(",")]];
          }
          return [[name, text(value)]];
        }

        /** A header or path value in `simple` style: arrays and objects comma-separated. */
        function simpleValue(value: unknown, explode: boolean): string {
          if (Array.isArray(value)) return value.map(text).join(",");
          if (typeof value === "object" && value !== null && !(value instanceof Date)) {
            return Object.entries(value)
              .map(([key, item]) => (explode ? `${key}=${text(item)}` : `${key},${text(item)}`))
              .join(",");
          }
          return text(value);
        }

        /** A path parameter, percent-encoded, in `simple`, `label` or `matrix` style. */
        function pathValue(name: string, value: unknown, encoding: ParameterEncoding): string {
          const [style, explode] = encoding;
          const encoded = (item: unknown) => encodeURIComponent(text(item));
          if (Array.isArray(value)) {
            if (style === "label") return "." + value.map(encoded).join(explode ? "." : ",");
            if (style === "matrix") {
              return explode ? value.map((item) => `;${name}=${encoded(item)}`).join("") : `;${name}=${value.map(encoded).join(",")}`;
            }
            return value.map(encoded).join(",");
          }
          if (typeof value === "object" && value !== null && !(value instanceof Date)) {
            const entries = Object.entries(value);
            const joined = explode
              ? entries.map(([key, item]) => `${key}=${encoded(item)}`).join(style === "label" ? "." : style === "matrix" ? ";" : ",")
              : entries.map(([key, item]) => `${key},${encoded(item)}`).join(",");
            if (style === "label") return "." + joined;
            if (style === "matrix") return explode ? ";" + joined : `;${name}=${joined}`;
            return joined;
          }
          if (style === "label") return "." + encoded(value);
          if (style === "matrix") return `;${name}=${encoded(value)}`;
          return encoded(value);
        }

        function encodeBody(value: unknown, kind: BodyKind, encoding: Record<string, ParameterEncoding> | undefined): BodyInit {
          switch (kind) {
            case "json":
              return JSON.stringify(value);
            case "text":
              return text(value);
            case "form": {
              const form = new URLSearchParams();
              for (const [name, item] of Object.entries(value as object)) {
                for (const [key, part] of pairs(name, item, encoding?.[name] ?? ["form", true])) form.append(key, part);
              }
              return form;
            }
            case "multipart": {
              const form = new FormData();
              for (const [name, item] of Object.entries(value as object)) {
                for (const part of Array.isArray(item) ? item : [item]) {
                  if (part === undefined || part === null) continue;
                  if (part instanceof Blob) form.append(name, part);
                  else form.append(name, text(part));
                }
              }
              return form;
            }
            case "binary":
              return value as BodyInit;
          }
        }

        /** The documented response a status falls under: its code, its range, or `default`. */
        function responseKey(responses: Record<string, ResponseKind>, status: number): string | undefined {
          const code = String(status);
          if (code in responses) return code;
          const range = `${Math.floor(status / 100)}XX`;
          if (range in responses) return range;
          return "default" in responses ? "default" : undefined;
        }

        /** The body as the response documents it; an empty JSON body (a 204) is `undefined`. */
        async function readBody(response: Response, kind: ResponseKind): Promise<unknown> {
          switch (kind) {
            case "none":
              return undefined;
            case "text":
              return response.text();
            case "blob":
              return response.blob();
            case "formData":
              return response.formData();
            case "json": {
              const body = await response.text();
              return body === "" ? undefined : JSON.parse(body);
            }
            case "auto": {
              const type = (response.headers.get("Content-Type") ?? "").toLowerCase();
              if (type.startsWith("multipart/form-data")) return response.formData();
              if (type !== "" && !type.includes("json") && !type.startsWith("text/")) return response.blob();
              const body = await response.text();
              if (body === "") return undefined;
              if (!type.includes("json")) return body;
              try {
                return JSON.parse(body);
              } catch {
                return body;
              }
            }
          }
        }

        """
}
