public import Hummingbird

/// The `/metrics` route: Prometheus text format from the configuration's registry.
enum MetricsRoute {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func register<Context: RequestContext>(on router: Router<Context>, _ configuration: MetricsConfiguration) {
        router.get(RouterPath(configuration.path)) { request, _ -> Response in
            if let expected = configuration.bearerToken {
                guard let token = BearerToken.extract(from: request), equalInConstantTime(Array(token.utf8), Array(expected.utf8))
                else { throw HTTPError(.unauthorized, detail: "Not authenticated", headers: [.wwwAuthenticate: "Bearer"]) }
            }
            configuration.beforeScrape()
            var buffer: [UInt8] = []
            configuration.registry.emit(into: &buffer)
            return APIResponse.bytes(buffer, status: .ok, contentType: contentType)
        }
    }

    /// Compares every byte whatever the first difference, so the time taken does not tell how
    /// much of a guess was right.
    static func equalInConstantTime(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
