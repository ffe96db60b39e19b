import Foundation
import HummingbirdTesting
import Logging
import ServerRuntime
import Testing

@Suite("Security requirements")
struct SecurityTests {
    struct Key: AuthenticatedPrincipal { var name: String }

    /// `api_key` header satisfies `ApiKey`, `Authorization: Bearer` satisfies `Bearer`.
    struct Handler: SecurityHandler {
        func authenticate(_ request: Request, scheme: String, scopes: [String], logger: Logger) async throws -> (
            any AuthenticatedPrincipal
        )? {
            switch scheme {
            case "ApiKey": return request.headers[HTTPField.Name("api_key")!].map { Key(name: "key:\($0)") }
            case "Bearer": return BearerToken.extract(from: request).map { Key(name: "token:\($0)") }
            default: return nil
            }
        }
    }

    func request(_ headers: HTTPFields) -> Request {
        Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "x", path: "/", headerFields: headers),
            body: RequestBody(buffer: ByteBuffer()))
    }

    let logger = Logger(label: "test")

    @Test func orOfAnds() async throws {
        let both: SecurityRequirements = [["ApiKey": [], "Bearer": []]]
        let either: SecurityRequirements = [["ApiKey": []], ["Bearer": []]]
        let anonymous: SecurityRequirements = [["Bearer": []], [:]]
        let handler = Handler()

        let keyOnly = self.request([HTTPField.Name("api_key")!: "k"])
        await #expect(throws: HTTPError.notAuthenticated) {
            try await handler.authenticate(keyOnly, requirements: both, logger: self.logger)
        }
        let principal = try await handler.authenticate(keyOnly, requirements: either, logger: self.logger)
        #expect((principal as? Key)?.name == "key:k")

        let full = self.request([HTTPField.Name("api_key")!: "k", .authorization: "Bearer t"])
        #expect((try await handler.authenticate(full, requirements: both, logger: self.logger) as? Key)?.name == "key:k")

        let nobody = self.request([:])
        #expect(try await handler.authenticate(nobody, requirements: anonymous, logger: self.logger) == nil)
        #expect(try await handler.authenticate(nobody, requirements: .none, logger: self.logger) == nil)
        await #expect(throws: HTTPError.self) { try await handler.authenticate(nobody, requirements: either, logger: self.logger) }
    }

    @Test func bearerExtraction() {
        #expect(BearerToken.extract(from: [.authorization: "Bearer abc.def"]) == "abc.def")
        #expect(BearerToken.extract(from: [.authorization: "bearer abc"]) == "abc")
        #expect(BearerToken.extract(from: [.authorization: "Basic abc"]) == nil)
        #expect(BearerToken.extract(from: [.authorization: "Bearer "]) == nil)
        #expect(BearerToken.extract(from: [.authorization: "Bearerabc"]) == nil)
        #expect(BearerToken.extract(from: [:]) == nil)
        // Repeated: the first field counts, as in Starlette.
        var twice = HTTPFields()
        twice.append(HTTPField(name: .authorization, value: "Bearer first"))
        twice.append(HTTPField(name: .authorization, value: "Bearer second"))
        #expect(BearerToken.extract(from: twice) == "first")
        #expect(BearerToken.extract(from: [.init("AUTHORIZATION")!: "Bearer upper"]) == "upper")
    }

    @Test func operationContextGivesTheTypedPrincipal() throws {
        let context = OperationContext(requestID: "r", logger: self.logger, principal: Key(name: "k"))
        #expect(context.principal(as: Key.self)?.name == "k")
        #expect(context.principal(as: TestUser.self) == nil)
        #expect(throws: HTTPError.notAuthenticated) { try OperationContext(requestID: "r", logger: self.logger).requirePrincipal(Key.self) }
    }

    @Test func httpErrorShape() {
        let error = HTTPError(.unauthorized, detail: "Not \"authenticated\"")
        #expect(error.headers[.wwwAuthenticate] == "Bearer")
        #expect(String(decoding: error.jsonBytes(), as: UTF8.self) == #"{"detail":"Not \"authenticated\""}"#)
        #expect(HTTPError(.notFound).detail == "Not Found")
    }
}
