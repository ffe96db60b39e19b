public import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The files of the docs assets folder, read once at start-up and served from memory.
///
/// Only regular files directly in the folder are loaded, and a request is answered only for a
/// name that is exactly one of them, so no path a client sends (`..`, `%2e%2e`, absolute paths,
/// symlinks out of the folder) can reach another file.
public struct StaticAssets: Sendable {
    public struct Asset: Sendable {
        public var buffer: ByteBuffer
        public var contentType: String
    }

    public private(set) var assets: [String: Asset]

    /// Largest file loaded; bundles are about 1.5 MB.
    public static let maximumFileSize = 16 << 20

    public init(directory: String?) {
        self.assets = [:]
        guard let directory else { return }
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
        for name in names where Self.isSafeName(name) {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let attributes = try? manager.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular,
                (attributes[.size] as? Int ?? Int.max) <= Self.maximumFileSize,
                let data = manager.contents(atPath: path)
            else { continue }
            self.assets[name] = Asset(buffer: ByteBuffer(bytes: data), contentType: Self.contentType(forName: name))
        }
    }

    /// The asset called `name`, if the folder had it and the name is safe.
    public func asset(named name: some StringProtocol) -> Asset? {
        let name = String(name)
        guard Self.isSafeName(name) else { return nil }
        return self.assets[name]
    }

    public func contains(_ name: String) -> Bool { self.assets[name] != nil }

    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\\") && !name.contains("%")
            && !name.utf8.contains(where: { $0 < 0x20 })
    }

    static func contentType(forName name: String) -> String {
        let fileExtension = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch fileExtension {
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "html", "htm": return "text/html; charset=utf-8"
        case "json", "map": return "application/json"
        case "png": return "image/png"
        case "svg": return "image/svg+xml"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "txt", "md": return "text/plain; charset=utf-8"
        case "yaml", "yml": return "application/yaml"
        default: return "application/octet-stream"
        }
    }
}
