import Foundation
import Testing

@testable import App

/// The start-up code the server gives back: which mappings, and that the kernel takes them.
@Suite struct CodePagesTests {
    @Test func onlyReadOnlyFileMappingsAreTaken() {
        let maps = """
            5612f2e74000-5612f2e76000 r--p 00000000 fe:00 253911                     /usr/bin/server
            5612f2e76000-5612f2e7b000 r-xp 00002000 fe:00 253911                     /usr/bin/server
            5612f2e7f000-5612f2e80000 rw-p 0000a000 fe:00 253911                     /usr/bin/server
            5612f3a00000-5612f3a21000 rw-p 00000000 00:00 0                          [heap]
            7f0a10000000-7f0a10021000 rw-p 00000000 00:00 0
            7f0a1c200000-7f0a1c228000 r--p 00000000 fe:00 1234                       /usr/lib/x86_64-linux-gnu/lib with space.so
            7ffd5a1f0000-7ffd5a1f2000 r-xp 00000000 00:00 0                          [vdso]
            7f0a1c300000-7f0a1c301000 ---p 00000000 fe:00 1234                       /usr/lib/x86_64-linux-gnu/libc.so.6
            not a mapping line
            7f0a1c400000-7f0a1c3f0000 r--p 00000000 fe:00 1234                       /backwards
            """
        let ranges = CodePages.readOnlyFileMappings(maps: maps)
        #expect(
            ranges == [
                0x5612_f2e7_4000..<0x5612_f2e7_6000, 0x5612_f2e7_6000..<0x5612_f2e7_b000,
                0x7f0a_1c20_0000..<0x7f0a_1c22_8000,
            ])
        #expect(CodePages.readOnlyFileMappings(maps: nil).isEmpty)
        #expect(CodePages.readOnlyFileMappings(maps: "").isEmpty)
    }

    /// This test process's own code: its resident file pages go down when they are paged out.
    /// (Tests run as the owner of their build, whose files the kernel lets a process page out.)
    @Test func pagingOutLowersTheResidentFilePages() throws {
        #if os(Linux)
            #expect(!CodePages.readOnlyFileMappings().isEmpty, "/proc/self/maps read as empty")
            let before = try #require(Self.residentFileKiB())
            let covered = CodePages.pageOut()
            let after = try #require(Self.residentFileKiB())
            #expect(covered > 0)
            #expect(after < before, "RssFile \(before) KiB before, \(after) KiB after")
        #endif
    }

    /// `RssFile` of `/proc/self/status`, in KiB.
    private static func residentFileKiB() -> Int? {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/status"), let data = try? handle.readToEnd() else { return nil }
        try? handle.close()
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("RssFile:") }
        return line?.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
    }
}
