import ArgumentParser
import CYAML
import OpenAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Measures the loader against the floor it cannot beat: libyaml scanning the same bytes
/// and producing events, with nothing built from them.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Times loading documents against a bare libyaml event scan; prints a Markdown table."
    )

    @Argument(help: "Documents to measure.")
    var documents: [String]

    @Option(name: .long, help: "Timed runs per document; the median is reported.")
    var runs = 7

    @Flag(name: .long, help: .hidden)
    var memoryOnly = false

    /// Repeats one phase alone, for a profiler to attach to.
    @Option(name: .long, help: .hidden)
    var profile: String?

    func run() throws {
        if memoryOnly {
            try measureMemory()
            return
        }
        if let profile, let path = documents.first, case .success(let bytes) = SourceFiles.fileSystem().read(path) {
            for _ in 0..<runs {
                switch profile {
                case "scan": _ = scanEvents(bytes)
                case "parse": _ = NodeTree.parse(bytes, file: path)
                default: _ = SpecLoader().load(path: path)
                }
            }
            return
        }
        print(
            "| document | bytes | libyaml scan (ms) | parse to tree (ms) | load + resolve (ms) | ratio | load CPU time (ms) "
                + "| CPU ratio | peak memory over baseline (MB) | × document size |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for path in documents {
            guard case .success(let bytes) = SourceFiles.fileSystem().read(path) else {
                throw ValidationError("cannot read \(path)")
            }
            // The three are measured in turn within each run, so a noisy stretch of the machine
            // falls on all of them rather than on one, and the ratios stay comparable.
            // Results are freed outside the timed region: a command line tool never frees them.
            var kept: [LoadedSpec] = []
            var scans: [Double] = []
            var parses: [Double] = []
            var loads: [Double] = []
            var cpu: [Double] = []
            for _ in 0..<runs {
                scans.append(time { _ = scanEvents(bytes) })
                parses.append(time { _ = NodeTree.parse(bytes, file: path) })
                let before = processCPUTime()
                loads.append(time { kept.append(SpecLoader().load(path: path)) })
                cpu.append(processCPUTime() - before)
            }
            let scan = median(scans)
            let parse = median(parses)
            let load = median(loads)
            let loadCPU = median(cpu)
            precondition(kept.allSatisfy { !$0.hasErrors }, "\(path) has errors")
            kept.removeAll()
            let peak = try childPeakMemory(path)
            let name = path.split(separator: "/").last.map(String.init) ?? path
            print(
                "| \(name) | \(bytes.count) | \(format(scan * 1000)) | \(format(parse * 1000)) | \(format(load * 1000)) | "
                    + "\(format(load / scan)) | \(format(loadCPU * 1000)) | \(format(loadCPU / scan)) | "
                    + "\(format(Double(peak) / 1_048_576)) | \(format(Double(peak) / Double(bytes.count))) |"
            )
        }
    }

    /// Runs this command again in a child so the peak belongs to one load alone.
    private func childPeakMemory(_ path: String) throws -> Int {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw ValidationError("pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        let executable = "/proc/self/exe"
        let arguments = [CommandLine.arguments[0], "bench", "--memory-only", path]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, &argv, environ) == 0 else {
            throw ValidationError("could not start a child process")
        }
        close(pipe[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(pipe[0], &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        close(pipe[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: " \n")
        guard let bytes = Int(text) else { throw ValidationError("memory probe printed '\(text)'") }
        return bytes
    }

    /// Prints the growth of the peak resident set caused by one load.
    private func measureMemory() throws {
        guard let path = documents.first else { return }
        let baseline = peakResidentBytes()
        let loaded = SpecLoader().load(path: path)
        let peak = peakResidentBytes()
        withExtendedLifetime(loaded) { print(peak - baseline) }
    }

    /// VmHWM rather than getrusage: a spawned child inherits its parent's maxrss across exec.
    private func peakResidentBytes() -> Int {
        guard case .success(let bytes) = SourceFiles.fileSystem().read("/proc/self/status") else { return 0 }
        let status = String(decoding: bytes, as: UTF8.self)
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.filter(\.isNumber)
            return (Int(digits) ?? 0) * 1024
        }
        return 0
    }
}

/// The floor: every event libyaml produces for the bytes, nothing kept.
func scanEvents(_ bytes: [UInt8]) -> Int {
    var parser = yaml_parser_t()
    yaml_parser_initialize(&parser)
    defer { yaml_parser_delete(&parser) }
    var events = 0
    bytes.withUnsafeBufferPointer { buffer in
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
        var event = yaml_event_t()
        while yaml_parser_parse(&parser, &event) != 0 {
            let done = event.type == YAML_STREAM_END_EVENT
            yaml_event_delete(&event)
            events += 1
            if done { break }
        }
    }
    return events
}

func time(_ body: () -> Void) -> Double {
    var start = timespec()
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    body()
    clock_gettime(CLOCK_MONOTONIC, &end)
    return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
}

/// CPU time of every thread of the process, so work spread over cores is counted in full.
func processCPUTime() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func format(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    return String(rounded)
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
