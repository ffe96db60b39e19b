/// How an OpenAPI parameter serialises arrays and objects (`style`, with `explode`).
///
/// Scalars read the same in every style; the style matters for lists and objects:
///
/// | style | list, explode | list, not exploded | object |
/// | --- | --- | --- | --- |
/// | form (query, cookie) | `a=1&a=2` | `a=1,2` | `k=v&k2=v2` / `a=k,v,k2,v2` |
/// | simple (path, header) | `1,2` | `1,2` | `k=v,k2=v2` / `k,v,k2,v2` |
/// | spaceDelimited | | `a=1%202` | |
/// | pipeDelimited | | `a=1\|2` | |
/// | deepObject | | | `a[k]=v&a[k2]=v2` |
/// | label (path) | `.1.2` | `.1,2` | |
/// | matrix (path) | `;a=1;a=2` | `;a=1,2` | |
public enum ParameterStyle: Sendable, Hashable {
    case form
    case simple
    case spaceDelimited
    case pipeDelimited
    case deepObject
    case label
    case matrix

    /// Splits one serialised list into its items.
    func splitList(_ text: String, name: String, explode: Bool) -> [String] {
        switch self {
        case .form, .simple:
            return Self.split(text, ",")
        case .spaceDelimited:
            return Self.split(text, " ")
        case .pipeDelimited:
            return Self.split(text, "|")
        case .deepObject:
            return [text]
        case .label:
            // `.1.2.3` exploded, `.1,2,3` not.
            guard text.hasPrefix(".") else { return Self.split(text, ",") }
            return Self.split(String(text.dropFirst()), explode ? "." : ",")
        case .matrix:
            // `;id=1;id=2` exploded, `;id=1,2` not.
            let prefix = ";\(name)="
            if explode {
                return text.split(separator: ";").compactMap { part in
                    part.hasPrefix("\(name)=") ? String(part.dropFirst(name.count + 1)) : nil
                }
            }
            return Self.split(text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text, ",")
        }
    }

    private static func split(_ text: String, _ separator: Character) -> [String] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }
}
