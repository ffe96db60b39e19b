public import HTTPTypes
public import Hummingbird

extension Router {
    /// Makes `path` answer 405 `{"detail":"Method Not Allowed"}` with an `Allow` header for the
    /// common methods it has no route for.
    ///
    /// Hummingbird answers 404 for a known path with an unknown method; FastAPI answers 405.
    /// The generator knows every path's methods, so it calls this once per path after registering
    /// the operations. HEAD is left to the router when GET exists (`autoGenerateHeadEndpoints`).
    public func addMethodNotAllowed(_ path: RouterPath, allowing allowed: [HTTPRequest.Method]) {
        let allowValue = allowed.map(\.rawValue).joined(separator: ", ")
        for method in Self.methodsAnsweredWith405 where !allowed.contains(method) {
            if method == .head, allowed.contains(.get) { continue }
            self.on(path, method: method) { _, _ -> Response in
                throw HTTPError(.methodNotAllowed, detail: "Method Not Allowed", headers: [.allow: allowValue])
            }
        }
    }

    /// Every method an OpenAPI 3.2 path item can hold: the router needs one route per method, and
    /// a 404 for TRACE or QUERY on a known path would say the path does not exist (FastAPI answers
    /// 405 for any method there).
    static var methodsAnsweredWith405: [HTTPRequest.Method] {
        [.get, .head, .post, .put, .patch, .delete, .options, .trace, HTTPRequest.Method("QUERY")!]
    }
}
