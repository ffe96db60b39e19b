import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Gives back the code and constants only start-up ran, once the server is ready to serve.
///
/// The executable holds 26 MB of machine code (Foundation, NIO, Hummingbird, the generated API,
/// the app) and its libraries more. Start-up (argument parsing, settings, migrations, the first
/// superuser, building the router) runs code that serving never runs again, and the kernel maps
/// file pages in groups around each one touched, so 37 MB of the idle server's 42 MB resident
/// set were such file pages (`RssFile`) against 4.5 MB of heap. `MADV_PAGEOUT` (Linux 5.4) on
/// the read-only file mappings drops them; serving faults back in what it runs. Measured on the
/// release server (static Swift runtime, cache off, A/B alternated twice): idle 42 → 32 MB
/// resident, after wrk at 1,024 connections on the health route 74.8 → 65.2 MB (file pages
/// 37.5 → 28 MB, the heap unchanged); server CPU per request on users/me, read item and health
/// unchanged within the noise of two alternations. (`MADV_RANDOM` at launch, to stop the
/// kernel mapping neighbours of each page, changed nothing measurable and is not used.)
///
/// These pages are clean copies of files: dropping one costs a fault if it is needed again,
/// never data. The kernel pages out only files the process owns or could write (the Dockerfile
/// installs the server as the user that runs it); the rest, and every other platform, is left
/// as it is.
public enum CodePages {
    /// Pages out the read-only file mappings; returns how many bytes of mappings it covered.
    @discardableResult
    public static func pageOut() -> Int {
        #if os(Linux)
            // Glibc's headers define MADV_PAGEOUT only under _GNU_SOURCE.
            let madvisePageOut: Int32 = 21
            var covered = 0
            for range in readOnlyFileMappings() {
                guard let start = UnsafeMutableRawPointer(bitPattern: range.lowerBound) else { continue }
                if madvise(start, range.count, madvisePageOut) == 0 { covered += range.count }
            }
            return covered
        #else
            return 0
        #endif
    }

    /// The address ranges of the file mappings in `maps` (the format of `/proc/self/maps`) that
    /// are readable and not writable: code and constants. Anonymous, special (`[vdso]`) and
    /// writable mappings are left out.
    static func readOnlyFileMappings(maps: String? = procSelfMaps()) -> [Range<UInt>] {
        guard let maps else { return [] }
        var ranges: [Range<UInt>] = []
        for line in maps.split(separator: "\n") {
            // start-end perms offset dev inode path
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[5].hasPrefix("/") else { continue }
            let permissions = fields[1]
            guard permissions.hasPrefix("r"), permissions.dropFirst().first == "-" else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), start < end
            else { continue }
            ranges.append(start..<end)
        }
        return ranges
    }

    /// `/proc/self/maps`, read to its end: it reports a size of zero, and Foundation's
    /// `String(contentsOfFile:)` then reads nothing from it.
    static func procSelfMaps() -> String? {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
