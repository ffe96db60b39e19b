#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where documents come from: the file system, or a table of texts in tests and tools.
public struct SourceFiles: Sendable {
    public enum ReadError: Error, Sendable {
        case notFound
        case unreadable(String)
        case tooLarge(Int)
    }

    private let reader: @Sendable (String) -> Result<[UInt8], ReadError>

    public init(reader: @escaping @Sendable (String) -> Result<[UInt8], ReadError>) {
        self.reader = reader
    }

    /// Reads real files. A spec larger than this is not an API description.
    public static func fileSystem(maxBytes: Int = 256 << 20) -> SourceFiles {
        SourceFiles { path in readFile(path, maxBytes: maxBytes) }
    }

    /// Documents held in memory, keyed by absolute path.
    public static func inMemory(_ files: [String: String]) -> SourceFiles {
        SourceFiles { path in
            guard let text = files[path] else { return .failure(.notFound) }
            return .success(Array(text.utf8))
        }
    }

    public func read(_ path: String) -> Result<[UInt8], ReadError> { reader(path) }

    static func readFile(_ path: String, maxBytes: Int) -> Result<[UInt8], ReadError> {
        guard let handle = fopen(path, "rb") else {
            return .failure(errno == ENOENT ? .notFound : .unreadable(String(cString: strerror(errno))))
        }
        defer { fclose(handle) }
        var info = stat()
        if fstat(fileno(handle), &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(.unreadable("it is a directory"))
        }
        var bytes: [UInt8] = []
        let size = Int(info.st_size)
        if size > maxBytes { return .failure(.tooLarge(maxBytes)) }
        if size > 0 {
            // A regular file is read straight into its array (stdio hands a read this large to
            // the kernel without its own buffer); what a growing file adds, or a pipe that
            // reports no size gives, comes through the chunked loop below.
            bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, filled in
                filled = fread(buffer.baseAddress, 1, size, handle)
            }
            if bytes.count < size, ferror(handle) != 0 { return .failure(.unreadable(String(cString: strerror(errno)))) }
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if bytes.count > maxBytes { return .failure(.tooLarge(maxBytes)) }
            if count < chunk.count {
                if ferror(handle) != 0 { return .failure(.unreadable(String(cString: strerror(errno)))) }
                break
            }
        }
        return .success(bytes)
    }

    /// The absolute, normalised form of `path`, relative paths taken from the working directory.
    public static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return normalise(path) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return normalise(path) }
        let directory = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return normalise(directory + "/" + path)
    }

    /// Resolves `relative` against the folder of `file`.
    static func resolve(_ relative: String, from file: String) -> String {
        if relative.hasPrefix("/") { return normalise(relative) }
        let folder = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return normalise(folder + "/" + relative)
    }

    static func normalise(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }
}
