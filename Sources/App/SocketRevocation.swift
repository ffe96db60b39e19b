import Foundation

/// A revocation that closes WebSockets: published on Redis so that every instance closes the
/// sockets it holds for the user (or for one session of theirs).
public struct SocketRevocation: Codable, Sendable, Hashable {
    public enum Reason: String, Codable, Sendable {
        case logout
        case logoutAll = "logout-all"
        case passwordReset = "password-reset"
        /// A refresh token was used twice, so its session was ended.
        case sessionEnded = "session-ended"
        case deactivated
        case deleted

        /// The WebSocket close code the client gets: 4401 (as HTTP 401) when logging in again
        /// gives a working socket, 4403 (as 403) when the account itself can no longer be used.
        public var closeCode: UInt16 {
            switch self {
            case .logout, .logoutAll, .passwordReset, .sessionEnded: 4401
            case .deactivated, .deleted: 4403
            }
        }

        /// The close frame's reason text.
        public var closeReason: String {
            switch self {
            case .logout: "Logged out"
            case .logoutAll: "Logged out everywhere"
            case .passwordReset: "Password reset: log in again"
            case .sessionEnded: "Session ended"
            case .deactivated: "Inactive user"
            case .deleted: "User deleted"
            }
        }
    }

    public var userID: UUID
    /// With a session or token id, only the sockets opened with a token of that session (or
    /// that token); with neither, every socket of the user.
    public var sessionID: String?
    public var tokenID: String?
    public var reason: Reason

    public init(userID: UUID, sessionID: String? = nil, tokenID: String? = nil, reason: Reason) {
        self.userID = userID
        self.sessionID = sessionID
        self.tokenID = tokenID
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case sessionID = "session_id"
        case tokenID = "token_id"
        case reason
    }

    /// Whether a socket opened with a token of `sessionID` and id `tokenID` is closed by this.
    func covers(sessionID socketSession: String?, tokenID socketToken: String?) -> Bool {
        if sessionID == nil && tokenID == nil { return true }
        if let sessionID, sessionID == socketSession { return true }
        if let tokenID, tokenID == socketToken { return true }
        return false
    }
}
