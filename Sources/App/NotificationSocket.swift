import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import ServerRuntime

/// `/api/v1/ws/notifications` (the spec's `x-websockets`): the owner's item notifications, one
/// JSON text frame each.
///
/// The access token comes in `Authorization: Bearer`, or, from browsers, which cannot set
/// headers on a WebSocket, as the subprotocols `bearer, <token>` (answered with `bearer`). It is
/// checked at connect; afterwards a logout, logout-all, password reset, deactivation or deletion
/// closes the socket on whichever instance holds it, with close code 4401 (log in again) or 4403
/// (the account can no longer be used) and a reason (`SocketRevocation`). A request that is not
/// an upgrade, or whose token is refused, is not upgraded and reaches the router, which answers
/// 401 or 426 with FastAPI's body.
enum NotificationSocket {
    static let path = "/api/v1/ws/notifications"

    static func upgrade(_ app: AppDependencies) -> APIApplication.WebSocketUpgrade {
        { request, _, logger in
            guard request.path.map({ $0.split(separator: "?", maxSplits: 1).first == path[...] }) == true,
                let credentials = Credentials(request.headerFields),
                let user = try? await AccessTokenSecurity.currentUser(token: credentials.token, app: app, logger: logger)
            else { return .dontUpgrade }
            var headers = HTTPFields()
            if credentials.viaSubprotocol { headers[.secWebSocketProtocol] = "bearer" }
            // Registered before the 101 goes out, so a change made right after the client sees
            // the upgrade reaches it.
            let events = app.notifications.events(for: user.id, sessionID: user.sessionID, tokenID: user.claims.id)
            return .upgrade(headers) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Frames from the client are ignored; the loop ends when it closes.
                    group.addTask { for try await _ in inbound {} }
                    group.addTask {
                        for await event in events {
                            switch event {
                            case .notification(let notification):
                                try await outbound.write(.text(String(decoding: WireJSON.encode(notification), as: UTF8.self)))
                            case .revoked(let reason):
                                try await outbound.close(.unknown(reason.closeCode), reason: reason.closeReason)
                                return
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    /// The HTTP side of the path: what a client that did not get its upgrade is told.
    static func register(on router: Router<APIRequestContext>, app: AppDependencies) {
        router.get(RouterPath(path)) { request, context -> Response in
            guard let credentials = Credentials(request.headers) else {
                throw ServerRuntime.HTTPError(.unauthorized, detail: "Not authenticated", headers: [.wwwAuthenticate: "Bearer"])
            }
            do {
                _ = try await AccessTokenSecurity.currentUser(token: credentials.token, app: app, logger: context.logger)
            } catch let error as ServerRuntime.HTTPError where error.status == .unauthorized {
                throw ServerRuntime.HTTPError(.unauthorized, detail: error.detail, headers: [.wwwAuthenticate: "Bearer"])
            }
            throw ServerRuntime.HTTPError(
                .upgradeRequired, detail: "This route is a WebSocket: connect with an Upgrade: websocket request",
                headers: [.upgrade: "websocket"])
        }
    }

    struct Credentials {
        var token: String
        var viaSubprotocol: Bool

        init?(_ headers: HTTPFields) {
            if let authorization = headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
                token = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
                viaSubprotocol = false
                return
            }
            let protocols = headers[values: .secWebSocketProtocol]
                .flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard let index = protocols.firstIndex(where: { $0.lowercased() == "bearer" }), index + 1 < protocols.count else { return nil }
            token = protocols[index + 1]
            viaSubprotocol = true
        }
    }
}
