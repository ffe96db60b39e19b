import OpenAPI

/// Turns each `$ref` into the indexed access type openapi-typescript writes for it
/// (`components["schemas"]["Item"]`).
///
/// openapi-typescript reads a bundled document, in which every `$ref` points into the entry
/// document's `components`. This document may instead point into other files (DigitalOcean's
/// spec is 2,000 of them) or deep into a schema; such targets become components of their
/// own here, as a bundler would add them: named after the target (its last pointer segment,
/// or its file name), made unique with `_2`, `_3`, … within their section, and listed after
/// the document's own components in the order they were first referenced.
final class ComponentReferences {
    enum Section: String, CaseIterable {
        case schemas, responses, parameters, requestBodies, headers, pathItems
    }

    /// A component the document does not declare but references.
    struct Added {
        var section: Section
        var name: String
        var reference: Reference
    }

    private let entryFile: String
    private var taken = ComponentNames<Section>()
    private var addedNames: [String: String] = [:]
    private var added: [Added] = []
    private var nextAdded = 0

    init(document: OpenAPIDocument?, entryFile: String) {
        self.entryFile = entryFile
        guard let components = document?.components else { return }
        let declared: [(Section, [String])] = [
            (.schemas, Array(components.schemas.keys)), (.responses, Array(components.responses.keys)),
            (.parameters, Array(components.parameters.keys)), (.requestBodies, Array(components.requestBodies.keys)),
            (.headers, Array(components.headers.keys)), (.pathItems, Array(components.pathItems.keys)),
        ]
        for (section, names) in declared {
            for name in names { taken.reserve(name, in: section) }
        }
    }

    /// The type a `$ref` stands for, found in `section` when it names no component itself.
    func type(for reference: Reference, in section: Section) -> TSType {
        if reference.file == entryFile, let local = localType(reference.pointer) { return local }
        return .indexed("components", [section.rawValue, addedName(for: reference, in: section)])
    }

    /// The type a reference key (`file#pointer`, as `NamedType.componentKey` holds it) stands for.
    func type(forKey key: String, in section: Section) -> TSType {
        guard let hash = key.firstIndex(of: "#") else { return .unknown }
        let reference = Reference(
            raw: key, file: String(key[..<hash]), pointer: String(key[key.index(after: hash)...]),
            location: SourceLocation(file: "", line: 0, column: 0))
        return type(for: reference, in: section)
    }

    /// The next added component still to be written; writing it may add more.
    func nextAddedComponent() -> Added? {
        guard nextAdded < added.count else { return nil }
        defer { nextAdded += 1 }
        return added[nextAdded]
    }

    /// `#/components/<section>/<name>`, or openapi-typescript's reading of a pointer into a
    /// component schema's properties (`…/Item/properties/owner` → `["Item"]["owner"]`).
    private func localType(_ pointer: String) -> TSType? {
        let segments = Self.segments(pointer)
        guard segments.count >= 3, segments[0] == "components" else { return nil }
        if segments.count == 3 { return .indexed("components", [segments[1], segments[2]]) }
        guard segments[1] == "schemas", segments.count % 2 == 1 else { return nil }
        var keys = [segments[1], segments[2]]
        var index = 3
        while index + 1 < segments.count {
            guard segments[index] == "properties" else { return nil }
            keys.append(segments[index + 1])
            index += 2
        }
        return .indexed("components", keys)
    }

    private func addedName(for reference: Reference, in section: Section) -> String {
        let key = section.rawValue + " " + reference.key
        if let known = addedNames[key] { return known }
        let name = taken.unique(reference.name, in: section)
        addedNames[key] = name
        added.append(Added(section: section, name: name, reference: reference))
        return name
    }

    /// The decoded segments of a JSON pointer (`/a~1b/c` → `["a/b", "c"]`).
    static func segments(_ pointer: String) -> [String] { JSONPointer.segments(pointer) }

    /// A pointer segment escaped (`a/b` → `a~1b`), as openapi-typescript's `createRef` does.
    static func escaped(_ segment: String) -> String { JSONPointer.escape(segment) }
}
