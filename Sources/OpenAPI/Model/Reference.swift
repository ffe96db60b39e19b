/// A `$ref`, with the place it points to made absolute: the file it lives in and a JSON pointer.
public struct Reference: Hashable, Sendable, CustomStringConvertible {
    /// The text as written in the document.
    public let raw: String
    /// The absolute path of the file the target lives in.
    public let file: String
    /// The decoded JSON pointer into that file, "" for the whole file.
    public let pointer: String
    /// Where the `$ref` was written.
    public var location: SourceLocation

    public init(raw: String, file: String, pointer: String, location: SourceLocation) {
        self.raw = raw
        self.file = file
        self.pointer = pointer
        self.location = location
        key = "\(file)#\(pointer)"
    }

    /// Identifies the target whatever spelling led to it. Stored: references are compared and
    /// hashed by it all through loading and generation.
    public let key: String

    /// The last pointer segment, usually the component's name.
    public var name: String {
        if let last = pointer.split(separator: "/", omittingEmptySubsequences: false).last, !last.isEmpty {
            return String(last).replacingEscapes()
        }
        let base = file.split(separator: "/").last.map(String.init) ?? file
        return base.split(separator: ".").first.map(String.init) ?? base
    }

    public var description: String { raw }

    public static func == (lhs: Reference, rhs: Reference) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
}

extension String {
    /// Undoes JSON pointer escaping of one segment: `~1` is `/`, `~0` is `~`.
    func replacingEscapes() -> String {
        guard utf8.contains(UInt8(ascii: "~")) else { return self }
        var result = ""
        var iterator = makeIterator()
        while let character = iterator.next() {
            if character == "~" {
                switch iterator.next() {
                case "0": result.append("~")
                case "1": result.append("/")
                case let other?:
                    result.append("~")
                    result.append(other)
                case nil: result.append("~")
                }
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// An object that may be given inline or by `$ref`.
public enum Referenceable<Value: Sendable>: Sendable {
    case reference(Reference)
    case value(Value)

    public var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }

    public var reference: Reference? {
        if case .reference(let reference) = self { return reference }
        return nil
    }
}
