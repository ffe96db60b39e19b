import Foundation
import Security

/// One schema change: a version, a name and the SQL that applies it.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String
    /// The file it came from (`0003_add_items.sql`), for error messages.
    public let fileName: String
    /// SHA-256 of the SQL text, lowercase hex; recorded when applied so a
    /// later edit of an applied migration is caught.
    public let checksum: String

    public init(version: Int, name: String, sql: String, fileName: String? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        let digits = String(version)
        self.fileName = fileName ?? String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_\(name).sql"
        checksum = Digest.hex(Digest.sha256(sql.utf8))
    }

    /// Reads every `NNNN_slug.sql` in `directory`, ordered by version. Other
    /// files are ignored; an `.sql` file without the numeric prefix, or two
    /// files with the same version, is an error.
    public static func load(from directory: URL) throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationError.unreadable(path: directory.path, reason: "\(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        for fileName in names.sorted() where fileName.hasSuffix(".sql") {
            let stem = fileName.dropLast(4)
            let digits = stem.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let version = Int(digits), stem.dropFirst(digits.count).first == "_",
                stem.count > digits.count + 1
            else {
                throw MigrationError.invalidFileName(fileName)
            }
            let url = directory.appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw MigrationError.unreadable(path: url.path, reason: "cannot read the file")
            }
            guard let sql = String(data: data, encoding: .utf8) else {
                throw MigrationError.unreadable(path: url.path, reason: "the file is not UTF-8")
            }
            let name = String(stem.dropFirst(digits.count + 1))
            migrations.append(Migration(version: version, name: name, sql: sql, fileName: fileName))
        }
        return try ordered(migrations)
    }

    /// Sorts by version and rejects duplicates.
    static func ordered(_ migrations: [Migration]) throws -> [Migration] {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw MigrationError.duplicateVersion(previous.version, files: [previous.fileName, next.fileName])
        }
        return sorted
    }
}
