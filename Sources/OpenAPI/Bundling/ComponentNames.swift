/// Names for components added to a document's `components` (by the bundler, and by the
/// TypeScript emitter, which reads the document as openapi-typescript reads a bundle): the
/// suggested name made valid, then unique within its section with `_2`, `_3`, … in the order
/// names are asked for, so the same document always yields the same names. One rule for both,
/// so the TypeScript types name what `openapi.json` names.
public struct ComponentNames<Section: Hashable> {
    private var taken: [Section: Set<String>] = [:]

    public init() {}

    /// Keeps a name (one the document already declares) away from added components.
    public mutating func reserve(_ name: String, in section: Section) {
        taken[section, default: []].insert(name)
    }

    /// A new name for `suggested` in `section`, recorded as taken.
    public mutating func unique(_ suggested: String, in section: Section) -> String {
        let base = Self.sanitised(suggested)
        var name = base
        var suffix = 2
        while taken[section]?.contains(name) == true {
            name = "\(base)_\(suffix)"
            suffix += 1
        }
        taken[section, default: []].insert(name)
        return name
    }

    /// OpenAPI restricts component names to `[A-Za-z0-9._-]`; anything else becomes `_`.
    public static func sanitised(_ name: String) -> String {
        var result = ""
        result.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": result.unicodeScalars.append(scalar)
            default: result.append("_")
            }
        }
        return result.isEmpty ? "component" : result
    }
}
