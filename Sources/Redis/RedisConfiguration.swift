import Foundation

/// Where and how to connect, and how long to wait.
public struct RedisConfiguration: Sendable, CustomStringConvertible {
    /// A host name or an IP address (IPv6 without brackets).
    public var host: String
    public var port: Int
    /// An ACL user (Redis 6+); nil authenticates as the default user.
    public var user: String?
    /// Sent with `AUTH` on every (re)connect; nil sends no `AUTH`.
    public var password: String?
    /// Selected with `SELECT` on every (re)connect.
    public var database: Int
    /// How long opening the TCP connection and the `AUTH`/`SELECT` handshake
    /// may take.
    public var connectTimeout: Duration
    /// How long a command may wait for its reply before failing with
    /// `RedisError.timeout`, so a server that stopped answering cannot hold a
    /// connection's thread forever. Nil waits indefinitely. Blocking commands
    /// (`BLPOP key 30`) need a longer timeout than they block for.
    public var commandTimeout: Duration?
    /// Set with `CLIENT SETNAME` on every connect, to find this client's
    /// connections in `CLIENT LIST`. No spaces.
    public var clientName: String?

    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        user: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration? = .seconds(2),
        clientName: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.clientName = clientName
    }

    /// Reads `redis://[[user]:password@]host[:port][/database]`. User and
    /// password are percent-decoded; the port defaults to 6379 and the
    /// database to 0. Query items: `connect_timeout` and `command_timeout`
    /// (seconds, fractions allowed; a command timeout of 0 means none) and
    /// `client_name`; any other is an error rather than silently ignored.
    public init(url: String) throws {
        guard let components = URLComponents(string: url) else {
            throw RedisError.invalidURL("not a valid URL")
        }
        switch components.scheme?.lowercased() {
        case "redis": break
        case "rediss": throw RedisError.invalidURL("TLS (rediss://) is not supported")
        case nil: throw RedisError.invalidURL("the URL has no scheme; expected redis://")
        case let scheme?: throw RedisError.invalidURL("the scheme must be redis://, not \(scheme)://")
        }
        var host = components.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw RedisError.invalidURL("the URL names no host") }
        let port = components.port ?? 6379
        guard (1...65_535).contains(port) else { throw RedisError.invalidURL("the port must be between 1 and 65535") }
        let path = components.path.drop { $0 == "/" }
        var database = 0
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else {
                throw RedisError.invalidURL("the path must be a database number (/0, /1...)")
            }
            database = number
        }
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 }
        if user != nil, components.password == nil {
            throw RedisError.invalidURL("a user needs a password (redis://user:password@host)")
        }
        self.init(host: host, port: port, user: user, password: components.password, database: database)
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "connect_timeout":
                guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
                    throw RedisError.invalidURL("connect_timeout must be a positive number of seconds")
                }
                connectTimeout = .milliseconds(Int64((seconds * 1000).rounded(.up)))
            case "command_timeout":
                guard let seconds = Double(value), seconds >= 0, seconds.isFinite else {
                    throw RedisError.invalidURL("command_timeout must be a number of seconds")
                }
                commandTimeout = seconds == 0 ? nil : .milliseconds(Int64((seconds * 1000).rounded(.up)))
            case "client_name":
                guard !value.isEmpty, !value.contains(where: \.isWhitespace) else {
                    throw RedisError.invalidURL("client_name must be a word without spaces")
                }
                clientName = value
            default:
                throw RedisError.invalidURL(
                    "unknown query parameter \"\(item.name)\" (known: connect_timeout, command_timeout, client_name)")
            }
        }
    }

    /// The URL form without the password, for logs.
    public var description: String {
        let credentials = user != nil || password != nil ? "\(user ?? ""):***@" : ""
        return "redis://\(credentials)\(address)/\(database)"
    }

    /// `host:port`, for messages.
    var address: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

extension Duration {
    /// The duration for hiredis's timeouts; at least one microsecond, since a
    /// zero `SO_RCVTIMEO` would mean no timeout at all.
    var socketTimeout: timeval {
        let (seconds, attoseconds) = components
        let microseconds = attoseconds / 1_000_000_000_000
        if seconds <= 0 && microseconds <= 0 { return timeval(tv_sec: 0, tv_usec: 1) }
        return timeval(tv_sec: .init(seconds), tv_usec: .init(microseconds))
    }
}
