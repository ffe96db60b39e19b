import CYAML

/// Reads YAML through libyaml's event API into a `NodeTree`.
enum YAMLParser {
    static func parse(_ bytes: [UInt8], file: String, limits: ParseLimits) -> (NodeTree, DiagnosticLog) {
        bytes.withUnsafeBufferPointer { buffer in
            if let tree = ChunkedYAMLParser.parse(buffer, file: file, limits: limits) {
                return (tree, DiagnosticLog())
            }
            return read(buffer, file: file, limits: limits).finish()
        }
    }

    /// Reads `bytes` as one YAML stream. libyaml reads the input in place.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, limits: ParseLimits) -> TreeBuilder {
        var builder = TreeBuilder(file: file, limits: limits, expectedBytes: bytes.count)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) != 0 else {
            builder.fail("libyaml could not allocate a parser", line: 1, column: 1)
            return builder
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        readEvents(&parser, bytes: bytes, into: &builder)
        return builder
    }

    private static func readEvents(
        _ parser: inout yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>, into builder: inout TreeBuilder
    ) {
        var documents = 0
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) != 0 else {
                reportError(parser, bytes: bytes, into: &builder)
                return
            }
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            switch event.type {
            case YAML_STREAM_END_EVENT:
                builder.streamEnd = (Int(event.start_mark.line), Int(event.start_mark.column))
                yaml_event_delete(&event)
                return
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    builder.warn("only the first YAML document of the file is read", line: line, column: column)
                    yaml_event_delete(&event)
                    return
                }
            case YAML_DOCUMENT_END_EVENT:
                if event.data.document_end.implicit == 0 { builder.endsDocumentExplicitly = true }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let quoted = scalar.style != YAML_PLAIN_SCALAR_STYLE || isStringTag(scalar.tag)
                builder.scalar(
                    UnsafeBufferPointer(start: scalar.value, count: scalar.length), quoted: quoted,
                    line: line, column: column, anchor: anchorName(scalar.anchor))
            case YAML_SEQUENCE_START_EVENT:
                builder.begin(.sequence, line: line, column: column, anchor: anchorName(event.data.sequence_start.anchor))
            case YAML_MAPPING_START_EVENT:
                builder.begin(.mapping, line: line, column: column, anchor: anchorName(event.data.mapping_start.anchor))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                builder.end()
            case YAML_ALIAS_EVENT:
                builder.alias(anchorName(event.data.alias.anchor) ?? "", line: line, column: column)
            default:
                break
            }
            yaml_event_delete(&event)
            if builder.failed { return }
        }
    }

    @inline(__always)
    private static func anchorName(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    @inline(__always)
    private static func isStringTag(_ pointer: UnsafeMutablePointer<UInt8>?) -> Bool {
        guard let pointer else { return false }
        return String(cString: pointer) == "tag:yaml.org,2002:str"
    }

    private static func reportError(
        _ parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>, into builder: inout TreeBuilder
    ) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown YAML error"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) \(context) at line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1)"
        }
        var line = Int(parser.problem_mark.line) + 1
        var column = Int(parser.problem_mark.column) + 1
        if parser.error == YAML_READER_ERROR {
            // Reader errors carry a byte offset rather than a mark.
            message = "\(problem); the file must be UTF-8 text"
            (line, column) = position(ofByte: Int(parser.problem_offset), in: bytes)
        }
        builder.fail(message, line: line, column: column)
    }

    static func position(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
