import Dispatch

extension DocumentDecoder {
    /// Documents smaller than this decode faster on one thread than it takes to start another.
    static let parallelThreshold = 40_000

    /// Decodes `components` on a second thread while this one decodes the rest (mostly
    /// `paths`), then merges both as if one decoder had visited them in order: the same
    /// diagnostics, the same queue of references, the same schemas by node. Large single-file
    /// descriptions spend most of their load time here, and a machine has a second core.
    /// A description split over several files loads them as it goes, so it decodes in order.
    func documentInParallel(_ root: NodeID) -> OpenAPIDocument? {
        guard files.count == 1, files[0].nodeCount >= Self.parallelThreshold,
            let componentsNode = views[Int(root.file)].value(root.node, forKey: "components"),
            let version = detectVersion(root)
        else { return document(root) }
        let componentsDecoder = child(version: version)
        let restDecoder = child(version: version)
        let task = ParallelTask { componentsDecoder.components(NodeID(file: root.file, node: componentsNode)) }
        let rest = restDecoder.document(root, components: Components())
        let components = task.wait()
        guard !componentsDecoder.wantedFiles, !restDecoder.wantedFiles else { return document(root) }
        merge(componentsDecoder)
        merge(restDecoder)
        guard var document = rest else { return nil }
        document.components = components
        return document
    }

    private func detectVersion(_ root: NodeID) -> OpenAPIDocument.Version? {
        guard kind(root) == .mapping, let node = views[Int(root.file)].value(root.node, forKey: "openapi") else {
            return nil
        }
        let parts = text(NodeID(file: root.file, node: node)).split(separator: ".")
        switch (parts.first, parts.dropFirst().first) {
        case ("3", "0"): return .v3_0
        case ("3", "1"): return .v3_1
        case ("3", "2"): return .v3_2
        default: return nil
        }
    }

    private func child(version: OpenAPIDocument.Version) -> DocumentDecoder {
        let decoder = DocumentDecoder(limits: limits, fileSystem: fileSystem)
        decoder.files = files
        decoder.fileIndex = fileIndex
        decoder.version = version
        decoder.mayLoadFiles = false
        return decoder
    }

    private func merge(_ other: DocumentDecoder) {
        diagnostics.append(contentsOf: other.diagnostics)
        pendingReferences += other.pendingReferences
        for (key, value) in other.targets where targets[key] == nil { targets[key] = value }
        for file in other.schemaCache.indices {
            let theirs = other.schemaCache[file]
            schemaCache[file].withUnsafeMutableBufferPointer { mine in
                for node in theirs.indices where mine[node] == nil { mine[node] = theirs[node] }
            }
        }
    }
}

/// Runs `work` on another thread; `wait` returns its result.
private final class ParallelTask<Result>: @unchecked Sendable {
    // Written by the worker before it leaves the group, read after `wait`: the group orders them.
    private var result: Result?
    private let group = DispatchGroup()

    init(_ work: @escaping () -> Result) {
        let box = UncheckedSendable(work)
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            result = box.value()
            group.leave()
        }
    }

    func wait() -> Result {
        group.wait()
        return result!
    }
}

/// Hands a decoder to the worker thread. Safe because the two threads share only immutable
/// trees, and the parent touches neither child until the worker is done.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
