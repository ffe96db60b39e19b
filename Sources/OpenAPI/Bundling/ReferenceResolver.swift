/// Finds the node a `$ref` names, in the files the loader already read or, for references the
/// loader does not follow (in extensions such as DigitalOcean's `x-codeSamples`, or in
/// `info.description`), in files it reads itself. The bundler asks for the same few hundred
/// targets thousands of times (DigitalOcean repeats its shared responses in every operation
/// file), so answers are kept by file and text.
struct ReferenceResolver {
    /// Where a `$ref` leads, and what the target would be called as a component.
    struct Target {
        var node: NodeID
        /// The decoded JSON pointer inside the target's file, "" for the whole file.
        var pointer: String
        /// The last pointer segment, or the file's base name when the pointer is empty.
        var name: String
    }

    private struct Key: Hashable {
        var file: Int32
        var raw: String
    }

    /// The loader's files first, then the ones read here, in the order first needed.
    private(set) var trees: [NodeTree]
    private let files: SourceFiles
    /// Every path asked for, -1 for the ones that could not be read or parsed.
    private var fileIndex: [String: Int32] = [:]
    private var cache: [Key: Target?] = [:]

    init(trees: [NodeTree], files: SourceFiles) {
        self.trees = trees
        self.files = files
        for (offset, tree) in trees.enumerated() where fileIndex[tree.file] == nil {
            fileIndex[tree.file] = Int32(offset)
        }
    }

    /// The target of `raw` written in file `file`, or nil when it is remote, malformed or
    /// leads nowhere (the loader has reported those; the bundler leaves them as written).
    mutating func resolve(_ raw: String, from file: Int32) -> Target? {
        let key = Key(file: file, raw: raw)
        if let known = cache[key] { return known }
        let found = lookUp(raw, from: file)
        cache[key] = found
        return found
    }

    private mutating func lookUp(_ raw: String, from file: Int32) -> Target? {
        let hash = raw.firstIndex(of: "#")
        let filePart = hash.map { String(raw[..<$0]) } ?? raw
        let fragment = hash.map { String(raw[raw.index(after: $0)...]) } ?? ""
        guard !filePart.contains("://"), let pointer = fragment.percentDecoded(),
            pointer.isEmpty || pointer.hasPrefix("/")
        else { return nil }
        let targetFile: Int32
        if filePart.isEmpty {
            targetFile = file
        } else {
            let path = SourceFiles.resolve(filePart.percentDecoded() ?? filePart, from: trees[Int(file)].file)
            let index = fileIndex[path] ?? load(path)
            guard index >= 0 else { return nil }
            targetFile = index
        }
        let tree = trees[Int(targetFile)]
        guard var node = tree.root else { return nil }
        var name = ""
        if !pointer.isEmpty {
            for rawSegment in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
                let segment = String(rawSegment).replacingEscapes()
                switch tree.kind(node) {
                case .mapping:
                    guard let next = tree.value(node, forKey: segment) else { return nil }
                    node = next
                case .sequence:
                    let items = tree.items(node)
                    guard let index = Int(segment), index >= 0, index < items.count else { return nil }
                    node = items[index]
                case .scalar:
                    return nil
                }
                name = segment
            }
        }
        if name.isEmpty {
            let base = tree.file.split(separator: "/").last.map(String.init) ?? tree.file
            name = base.split(separator: ".").first.map(String.init) ?? base
        }
        return Target(node: NodeID(file: targetFile, node: node), pointer: pointer, name: name)
    }

    /// Reads and parses a file the loader never needed. Its problems are not reported: the
    /// reference is then left as written, as with any reference that leads nowhere.
    private mutating func load(_ path: String) -> Int32 {
        var index: Int32 = -1
        if case .success(let bytes) = files.read(path) {
            let (tree, log) = NodeTree.parse(bytes, file: path)
            if !log.hasErrors, tree.root != nil {
                index = Int32(trees.count)
                trees.append(tree)
            }
        }
        fileIndex[path] = index
        return index
    }

    /// A decoded pointer written back as a URI fragment (`#/a~1b`): each segment escaped as
    /// `JSONPointer` does, then `%` and spaces percent-escaped so the loader decodes them back.
    static func fragment(_ segments: [String]) -> String {
        var result = "#"
        for segment in segments {
            result += "/"
            let escaped = JSONPointer.escape(segment)
            guard escaped.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: " ") }) else {
                result += escaped
                continue
            }
            for character in escaped.unicodeScalars {
                switch character {
                case "%": result += "%25"
                case " ": result += "%20"
                default: result.unicodeScalars.append(character)
                }
            }
        }
        return result
    }

    /// The decoded segments of a pointer.
    static func segments(of pointer: String) -> [String] { JSONPointer.segments(pointer) }
}
