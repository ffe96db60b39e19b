import HTTPTypes
public import Hummingbird
public import Logging
import NIOCore
import ServiceContextModule

/// The outermost middleware (inside `MetricsMiddleware` when metrics are on, which then sees the
/// answers this one makes): gives every request an id and turns every error into FastAPI's JSON,
/// so no stack trace or Swift error text ever reaches a client.
///
/// | thrown | answer |
/// | --- | --- |
/// | `HTTPError` | its status and headers, `{"detail": "..."}` |
/// | `ValidationErrors` | 422 `{"detail": [...]}` |
/// | Hummingbird's `HTTPError` | its status; 404 `Not Found`, 405 `Method Not Allowed`, otherwise its message or the reason phrase |
/// | `NIOTooManyBytesError` | 413 `Request body too large` |
/// | a `DependencyUnavailableError` outage | 503 with `Retry-After: 1` and its detail |
/// | anything else | 500 `Internal Server Error`, the error logged, not returned |
///
/// Every response, error or not, carries `x-request-id`; the same id is in the request logger's
/// metadata, so a client's report can be matched with the server's logs. A valid W3C
/// `traceparent` puts its trace id there too (and in the task's `ServiceContext`); a malformed
/// one is ignored.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID: String
        if let header = request.headers[RequestIdentifier.headerName], let sane = RequestIdentifier.sanitize(header) {
            requestID = sane
            context.logger[metadataKey: RequestIdentifier.metadataKey] = .string(sane)
        } else if let existing = context.logger[metadataKey: RequestIdentifier.metadataKey] {
            // Hummingbird's own id, already in the logger (as `.stringConvertible`): not written
            // again, since a write copies the logger's metadata (and swift-log's
            // StreamLogHandler, were it installed, would render all of it anew).
            requestID = existing.description
        } else {
            requestID = RequestIdentifier.current(in: context.logger)
            context.logger[metadataKey: RequestIdentifier.metadataKey] = .string(requestID)
        }
        let trace = request.headers[TraceParent.headerName].flatMap(TraceParent.init)
        if let trace {
            context.logger[metadataKey: TraceParent.traceIDMetadataKey] = .string(trace.traceID)
            context.logger[metadataKey: TraceParent.parentIDMetadataKey] = .string(trace.parentID)
        }
        var response: Response
        do {
            if let trace {
                var serviceContext = ServiceContext.current ?? .topLevel
                serviceContext.traceParent = trace
                response = try await ServiceContext.withValue(serviceContext) { [context] in
                    try await next(request, context)
                }
            } else {
                response = try await next(request, context)
            }
        } catch {
            response = Self.response(for: error, request: request, logger: context.logger)
        }
        response.headers[RequestIdentifier.headerName] = requestID
        return response
    }

    /// The JSON answer for `error`; logs what the client is not told.
    public static func response(for error: any Error, request: Request, logger: Logger) -> Response {
        switch error {
        case let error as HTTPError:
            if error.status.kind == .serverError {
                logger.error("request failed", metadata: ["http.status": "\(error.status.code)", "error.detail": "\(error.detail)"])
            }
            return APIResponse.bytes(
                error.jsonBytes(), status: error.status, headers: error.headers, contentType: APIResponse.jsonContentType)
        case let errors as ValidationErrors:
            logger.debug("request failed validation", metadata: ["validation.errors": "\(errors.count)"])
            return APIResponse.bytes(errors.jsonBytes(), status: .unprocessableContent, contentType: APIResponse.jsonContentType)
        case let error as AdditionalHeadersError:
            var response = Self.response(for: error.base, request: request, logger: logger)
            for field in error.headers { response.headers[field.name] = field.value }
            return response
        case let error as Hummingbird.HTTPError:
            let detail: String
            switch error.status {
            case .notFound: detail = "Not Found"
            case .methodNotAllowed: detail = "Method Not Allowed"
            default: detail = error.body ?? error.status.reasonPhrase
            }
            return Self.response(for: HTTPError(error.status, detail: detail, headers: error.headers), request: request, logger: logger)
        case let error as any DependencyUnavailableError where error.unavailableDetail != nil:
            logger.warning("dependency unavailable", metadata: ["error": "\(error)"])
            return Self.response(
                for: HTTPError(.serviceUnavailable, detail: error.unavailableDetail!, headers: [.retryAfter: "1"]), request: request,
                logger: logger)
        case is NIOTooManyBytesError:
            return Self.response(for: RequestReader.bodyTooLarge, request: request, logger: logger)
        case let error as any HTTPResponseError where error.status.kind != .serverError:
            return Self.response(for: HTTPError(error.status), request: request, logger: logger)
        case is CancellationError:
            logger.debug("request cancelled")
            return Self.internalServerError()
        default:
            logger.error(
                "unhandled error",
                metadata: [
                    "error.type": "\(String(reflecting: type(of: error)))",
                    "error.message": "\(String(reflecting: error))",
                    "http.method": "\(request.method.rawValue)",
                    "http.path": "\(request.uri.path)",
                ]
            )
            return Self.internalServerError()
        }
    }

    private static func internalServerError() -> Response {
        APIResponse.bytes(
            Array(#"{"detail":"Internal Server Error"}"#.utf8), status: .internalServerError, contentType: APIResponse.jsonContentType)
    }
}

/// An error with headers to add to its answer (CORS headers on a failed request), unwrapped by
/// `ErrorMiddleware`.
struct AdditionalHeadersError: Error {
    var base: any Error
    var headers: HTTPFields
}
