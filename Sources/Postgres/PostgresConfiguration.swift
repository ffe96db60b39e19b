import Foundation

/// Where and how to connect: address, credentials, and the session settings
/// every connection of a pool starts with.
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// A host name, an IP address, or a Unix socket folder (starts with `/`).
    /// Empty means libpq's default socket.
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// libpq's `sslmode` (`disable`, `prefer`, `require`, `verify-full`...);
    /// nil keeps libpq's default (`prefer`).
    public var sslMode: String?
    public var connectTimeout: Duration
    /// Cancels any statement running longer (`statement_timeout`), reported
    /// as `PostgresError.queryCanceled`. Nil keeps the server's setting.
    public var statementTimeout: Duration?
    public var applicationName: String?
    /// The schemas unqualified names resolve in (`search_path`).
    public var searchPath: [String]?
    /// Further settings sent at connection start (`-c name=value`), e.g.
    /// `lock_timeout`. They apply before the first statement and survive
    /// reconnects, unlike a `SET` run by hand.
    public var runtimeParameters: [String: String]
    /// Further libpq connection keywords (`sslrootcert`, `target_session_attrs`...).
    public var libpqOptions: [String: String]
    /// Prepares each distinct statement once per connection and reuses it
    /// (one round trip per query instead of a parse and plan each time).
    /// Turn off behind a transaction-mode PgBouncer.
    public var usePreparedStatements: Bool
    /// Asks for a prepared statement's results in binary once its first result has shown that
    /// every column is of a type read in binary (`PostgresBinary`): integers, `uuid`, `bool`,
    /// text, JSON, dates and times. Rows decode to the same values either way; off, every
    /// result is text.
    public var binaryResults: Bool

    public init(
        host: String = "127.0.0.1",
        port: Int = 5432,
        user: String,
        password: String? = nil,
        database: String,
        sslMode: String? = nil,
        connectTimeout: Duration = .seconds(10),
        statementTimeout: Duration? = nil,
        applicationName: String? = nil,
        searchPath: [String]? = nil,
        runtimeParameters: [String: String] = [:],
        libpqOptions: [String: String] = [:],
        usePreparedStatements: Bool = true,
        binaryResults: Bool = true
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.applicationName = applicationName
        self.searchPath = searchPath
        self.runtimeParameters = runtimeParameters
        self.libpqOptions = libpqOptions
        self.usePreparedStatements = usePreparedStatements
        self.binaryResults = binaryResults
    }

    /// Reads `postgresql://user:password@host:port/database?sslmode=disable`
    /// (`postgres://` too). User, password and database are percent-decoded.
    /// Query items: `sslmode`, `connect_timeout` (seconds), `application_name`,
    /// `host` (a socket folder), `statement_timeout` (milliseconds),
    /// `prepared_statements` and `binary_results` (`true` or `false`: the
    /// properties of those names, for a deployment that sets only the URL,
    /// e.g. behind a transaction-mode PgBouncer); any other is passed to
    /// libpq as a connection keyword.
    public init(url: String) throws {
        guard let components = URLComponents(string: url) else {
            throw PostgresError.invalidURL("not a URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgresql" || scheme == "postgres" else {
            throw PostgresError.invalidURL("the scheme must be postgresql:// or postgres://")
        }
        var host = components.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let database = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        guard let user = components.user, !user.isEmpty else {
            throw PostgresError.invalidURL("the URL names no user")
        }
        guard !database.isEmpty else { throw PostgresError.invalidURL("the URL names no database") }
        self.init(
            host: host, port: components.port ?? 5432, user: user, password: components.password,
            database: database)
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode": sslMode = value
            case "host": self.host = value
            case "application_name": applicationName = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds >= 0 else {
                    throw PostgresError.invalidURL("connect_timeout must be a number of seconds")
                }
                connectTimeout = .seconds(seconds)
            case "statement_timeout":
                guard let milliseconds = Int(value), milliseconds >= 0 else {
                    throw PostgresError.invalidURL("statement_timeout must be a number of milliseconds")
                }
                statementTimeout = .milliseconds(milliseconds)
            case "prepared_statements": usePreparedStatements = try Self.flag(item.name, value)
            case "binary_results": binaryResults = try Self.flag(item.name, value)
            default: libpqOptions[item.name] = value
            }
        }
    }

    private static func flag(_ name: String, _ value: String) throws -> Bool {
        switch value.lowercased() {
        case "true", "on", "1": return true
        case "false", "off", "0": return false
        default: throw PostgresError.invalidURL("\(name) must be true or false")
        }
    }

    /// The URL form without the password, for logs.
    public var description: String {
        var text = "postgresql://\(user)\(password == nil ? "" : ":***")@\(host)"
        text += ":\(port)/\(database)"
        return text
    }

    /// Keyword/value pairs for `PQconnectdbParams`. Passing components (not a
    /// conninfo string) means no quoting rules to get wrong for passwords.
    func connectionParameters() -> [(String, String)] {
        var parameters: [(String, String)] = []
        if !host.isEmpty { parameters.append(("host", host)) }
        parameters.append(("port", String(port)))
        parameters.append(("user", user))
        if let password { parameters.append(("password", password)) }
        parameters.append(("dbname", database))
        if let sslMode { parameters.append(("sslmode", sslMode)) }
        parameters.append(("connect_timeout", String(max(1, Int(connectTimeout.components.seconds)))))
        if let applicationName { parameters.append(("application_name", applicationName)) }
        parameters.append(("client_encoding", "UTF8"))
        parameters.append(("options", startupOptions()))
        for (keyword, value) in libpqOptions.sorted(by: { $0.key < $1.key }) {
            parameters.append((keyword, value))
        }
        return parameters
    }

    /// The `-c name=value` settings sent in the startup packet. The fixed ones
    /// pin down the text formats the decoders parse, whatever the server's
    /// or database's defaults say.
    func startupOptions() -> String {
        var settings: [(String, String)] = [
            ("DateStyle", "ISO"),
            ("TimeZone", "UTC"),
            ("IntervalStyle", "iso_8601"),
            ("bytea_output", "hex"),
            ("extra_float_digits", "1"),
        ]
        if let statementTimeout {
            let milliseconds =
                statementTimeout.components.seconds * 1000
                + statementTimeout.components.attoseconds / 1_000_000_000_000_000
            settings.append(("statement_timeout", String(max(1, milliseconds))))
        }
        if let searchPath {
            let quoted = searchPath.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            settings.append(("search_path", quoted.joined(separator: ",")))
        }
        for (name, value) in runtimeParameters.sorted(by: { $0.key < $1.key }) {
            settings.append((name, value))
        }
        // libpq splits `options` on spaces; a backslash escapes a space or
        // another backslash.
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: " ", with: "\\ ")
        }
        return settings.map { "-c \(escape($0.0))=\(escape($0.1))" }.joined(separator: " ")
    }

    /// Removes the password from a libpq message, should one ever echo it.
    func redact(_ message: String) -> String {
        guard let password, password.count >= 3 else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }
}
