#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few POSIX calls the output folder needs, each turning failure into `OutputError` with
/// the path. Plain system calls rather than Foundation: the write path needs `O_EXCL`,
/// `fsync` and `rename` exactly, and the generator stays free of Foundation.
enum FileOperations {
    enum EntryKind {
        case missing, file, directory
    }

    /// What is at `path`, without following a final symlink (a link is replaced, not followed).
    static func kind(_ path: String) -> EntryKind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    /// The bytes of a file, or nil when there is none.
    static func readFile(_ path: String) throws -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw failure(path, "read")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(path, "read") }
        if (info.st_mode & S_IFMT) == S_IFDIR { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, "read")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// The names of the regular files (and links) directly inside `directory`, sorted; empty
    /// when it does not exist.
    static func listFiles(in directory: String) throws -> [String] {
        try entries(of: directory).filter { !$0.isDirectory }.map(\.name).sorted()
    }

    /// Every non-directory below `root`, as paths relative to `base` (`prefix/…`), sorted.
    static func walk(_ root: String, prefix: String) throws -> [String] {
        var found: [String] = []
        var pending = [(root, prefix)]
        while let (directory, relative) = pending.popLast() {
            for entry in try entries(of: directory) {
                let child = relative + "/" + entry.name
                if entry.isDirectory {
                    pending.append((directory + "/" + entry.name, child))
                } else {
                    found.append(child)
                }
            }
        }
        return found.sorted()
    }

    private static func entries(of directory: String) throws -> [(name: String, isDirectory: Bool)] {
        guard let stream = opendir(directory) else {
            if errno == ENOENT || errno == ENOTDIR { return [] }
            throw failure(directory, "list")
        }
        defer { closedir(stream) }
        var result: [(String, Bool)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            result.append((name, kind(directory + "/" + name) == .directory))
        }
        return result
    }

    /// Creates `path` and its missing parents.
    static func makeDirectories(_ path: String) throws {
        switch kind(path) {
        case .directory: return
        case .file: throw OutputError.io(path: path, operation: "create the folder", message: "a file is in the way")
        case .missing: break
        }
        let parent = parentFolder(of: path)
        if !parent.isEmpty, parent != path { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0, errno != EEXIST { throw failure(path, "create the folder") }
    }

    /// Writes `bytes` to a new hidden file beside `target` and flushes it to disk, so a later
    /// rename publishes either nothing or the whole file.
    static func writeTemporary(_ bytes: [UInt8], beside target: String) throws -> String {
        let folder = parentFolder(of: target)
        let name = target.split(separator: "/").last.map(String.init) ?? target
        while true {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).specgen-\(suffix).tmp"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor < 0 {
                if errno == EEXIST { continue }
                throw failure(temporary, "create")
            }
            do {
                try writeAll(bytes, to: descriptor, path: temporary)
                guard fsync(descriptor) == 0 else { throw failure(temporary, "flush") }
                guard close(descriptor) == 0 else { throw failure(temporary, "close") }
            } catch {
                close(descriptor)
                unlink(temporary)
                throw error
            }
            return temporary
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure(path, "write")
                }
                offset += written
            }
        }
    }

    /// Renames `source` over `target`, atomically replacing a file that is there.
    static func move(_ source: String, to target: String) throws {
        guard rename(source, target) == 0 else { throw failure(target, "replace") }
    }

    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure(path, "remove") }
    }

    /// Removes `directory` if it is empty; anything else is left as it is.
    static func removeIfEmpty(_ directory: String) -> Bool {
        rmdir(directory) == 0
    }

    /// Flushes a folder's entries, so renames into it survive a crash. Best effort: some file
    /// systems refuse to sync a directory, and the files themselves are already flushed.
    static func syncFolder(_ path: String) {
        let descriptor = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func failure(_ path: String, _ operation: String) -> OutputError {
        .io(path: path, operation: operation, message: String(cString: strerror(errno)))
    }
}
