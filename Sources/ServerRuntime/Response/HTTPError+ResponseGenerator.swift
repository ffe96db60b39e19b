public import Hummingbird

// The runtime's errors answer correctly even where `ErrorMiddleware` is not installed (a router
// of the app's own), because Hummingbird renders any `HTTPResponseError` itself.

extension HTTPError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        APIResponse.bytes(self.jsonBytes(), status: self.status, headers: self.headers, contentType: APIResponse.jsonContentType)
    }
}

extension ValidationErrors: HTTPResponseError {
    public var status: HTTPResponse.Status { .unprocessableContent }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        APIResponse.bytes(self.jsonBytes(), status: .unprocessableContent, contentType: APIResponse.jsonContentType)
    }
}
