import Foundation
import HummingbirdTesting
import Logging
import ServerRuntime
import Testing

/// The caller the test security handler recognises.
struct TestUser: AuthenticatedPrincipal, Equatable {
    var id: UUID
    var email: String
}

/// Alice, admitted before her last check ran (`DeferredPrincipal`); `failure` is what that check
/// finds, nil when it passes. The in-memory services read her without settling, as a handler that
/// never looks at its user would.
struct DeferredAlice: DeferredPrincipal {
    var failure: HTTPError?
    var guardsWrites = false

    func settle() async throws {
        if let failure { throw failure }
    }
}

extension OperationContext {
    /// The test user, whether admitted at once or deferred.
    func testUser() throws -> TestUser {
        if principal(as: DeferredAlice.self) != nil { return TestSecurityHandler.alice }
        return try requirePrincipal(TestUser.self)
    }
}

/// Bearer tokens: `good-token` is alice, `inactive-token` is a deactivated user (400, as the
/// template answers), `deferred-token` is alice with a check still to come that passes,
/// `deferred-gone-token` one whose check fails with 401, `guarding-gone-token` the same for a
/// request whose handler is trusted to guard its writes, `create-only-token` is alice for the
/// `createItem` operation only (by the operation ID the route passes); anything else is refused
/// with 401.
struct TestSecurityHandler: SecurityHandler {
    static let alice = TestUser(id: UUID(uuidString: "1b4e28ba-2fa1-11d2-883f-0016d3cca427")!, email: "alice@example.com")

    func authenticate(_ request: Request, scheme: String, scopes: [String], logger: Logger) async throws -> (any AuthenticatedPrincipal)? {
        guard scheme == "OAuth2PasswordBearer", let token = BearerToken.extract(from: request) else { return nil }
        switch token {
        case "good-token": return Self.alice
        case "inactive-token": throw HTTPError(.badRequest, detail: "Inactive user")
        case "deferred-token": return DeferredAlice()
        case "deferred-gone-token": return DeferredAlice(failure: HTTPError(.unauthorized, detail: "Could not validate credentials"))
        case "guarding-gone-token":
            return DeferredAlice(failure: HTTPError(.unauthorized, detail: "Could not validate credentials"), guardsWrites: true)
        default: throw HTTPError(.unauthorized, detail: "Could not validate credentials")
        }
    }

    func authenticate(_ request: Request, scheme: String, scopes: [String], operationID: String, logger: Logger) async throws
        -> (any AuthenticatedPrincipal)?
    {
        guard BearerToken.extract(from: request) == "create-only-token" else {
            return try await authenticate(request, scheme: scheme, scopes: scopes, logger: logger)
        }
        guard operationID == Operations.createItem.operationID else {
            throw HTTPError(.unauthorized, detail: "Not for \(operationID)")
        }
        return Self.alice
    }
}

/// An in-memory implementation of the generated `ItemsAPI`.
actor InMemoryItems: ItemsAPI {
    private var items: [ItemPublic] = []
    private(set) var lastRequestID: String?

    func readItems(_ input: Operations.readItems.Input, context: OperationContext) async throws -> Operations.readItems.Output {
        let user = try context.testUser()
        let own = self.items.filter { $0.ownerId == user.id }
        let page = Array(own.dropFirst(input.skip).prefix(input.limit))
        return .ok(ItemsPublic(data: page, count: own.count))
    }

    func createItem(_ input: Operations.createItem.Input, context: OperationContext) async throws -> Operations.createItem.Output {
        self.lastRequestID = context.requestID
        if input.body.title == "boom" {
            // A bug in the service: must become a bare 500.
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "secret stack detail /src/App/Items.swift:42"))
        }
        let user = try context.testUser()
        let item = ItemPublic(
            title: input.body.title,
            description: input.body.description,
            id: UUID(),
            ownerId: user.id,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000.5)
        )
        self.items.append(item)
        return .ok(item)
    }
}

/// An in-memory implementation of the generated `LoginAPI`.
struct InMemoryLogin: LoginAPI {
    func loginAccessToken(_ input: Operations.loginAccessToken.Input, context: OperationContext) async throws
        -> Operations.loginAccessToken.Output
    {
        guard input.body.username == "alice@example.com", input.body.password == "secret" else {
            return .badRequest(HTTPError(.badRequest, detail: "Incorrect email or password"))
        }
        return .ok(Token(accessToken: "good-token"))
    }
}

/// The app under test: the runtime's router with the hand-written "generated" routes.
func makeTestApplication(
    items: InMemoryItems = InMemoryItems(),
    maxBodySize: Int = 1 << 20,
    cors: CORSPolicy? = CORSPolicy(allowedOrigins: ["http://localhost:5173"]),
    docs: DocsConfiguration? = DocsConfiguration(
        title: "Full Stack Example API", openAPIJSON: Array(#"{"openapi":"3.1.0"}"#.utf8), openAPIYAML: Array("openapi: 3.1.0\n".utf8))
) -> some ApplicationProtocol {
    let configuration = APIConfiguration(routes: RouteConfiguration(maxBodySize: maxBodySize), cors: cors, docs: docs)
    let router = APIApplication.makeRouter(configuration: configuration)
    registerAPIRoutes(
        on: router, items: items, login: InMemoryLogin(), security: TestSecurityHandler(), configuration: configuration.routes)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return APIApplication.makeApplication(router: router, configuration: configuration, logger: logger)
}

extension TestResponse {
    /// The body parsed as JSON.
    var json: JSONValue {
        get throws { try JSONParser.parse(Array(self.body.readableBytesView)) }
    }

    var text: String { String(buffer: self.body) }
}

let bearer: HTTPFields = [.authorization: "Bearer good-token"]
let jsonContent: HTTPFields = [.authorization: "Bearer good-token", .contentType: "application/json"]

func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
