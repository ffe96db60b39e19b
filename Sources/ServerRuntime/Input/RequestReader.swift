import HTTPTypes
public import Hummingbird
import NIOCore

/// Reads one request's parameters and body for a generated route, collecting every validation
/// failure instead of stopping at the first.
///
/// A generated handler makes one reader, asks it for each parameter and the body, and then
/// throws `errors` if any were recorded, so the client gets FastAPI's single 422 listing all of
/// them. Raw parameter text goes through pydantic's lax conversions (`SchemaValue`), so
/// `?limit=5` is the integer 5 and `?limit=abc` fails with pydantic's words.
public struct RequestReader: Sendable {
    public let request: Request
    /// Everything that failed so far.
    public var errors: ValidationErrors
    private let pathParameters: Parameters
    let maxBodySize: Int
    private var queryPairs: URLEncodedPairs?
    private var cookiePairs: [(name: String, value: String)]?
    var collectedBody: ByteBuffer?

    public init(_ request: Request, context: some RequestContext, configuration: RouteConfiguration = .init()) {
        self.request = request
        self.errors = ValidationErrors()
        self.pathParameters = context.parameters
        self.maxBodySize = configuration.maxBodySize
    }

    // MARK: Path

    /// A path parameter (always required; the router only matches when it is there).
    public mutating func path<T: SchemaValue>(_ name: String, as type: T.Type) -> T? {
        self.decode(self.pathText(name).map(JSONValue.string), at: .path, name, required: true)
    }

    public mutating func path<T: SchemaValue, Rules: Constraint<T>>(_ name: String, as type: T.Type, rules: Rules) -> T? {
        self.decode(self.pathText(name).map(JSONValue.string), at: .path, name, required: true, rules: rules)
    }

    /// A path parameter holding a list (`simple`, `label` or `matrix` style).
    public mutating func pathList<Element: SchemaValue>(
        _ name: String,
        of type: Element.Type,
        style: ParameterStyle = .simple,
        explode: Bool = false
    ) -> [Element]? {
        let raw = self.pathText(name).map { JSONValue.array(style.splitList($0, name: name, explode: explode).map(JSONValue.string)) }
        return self.decode(raw, at: .path, name, required: true)
    }

    private func pathText(_ name: String) -> String? {
        self.pathParameters.get(name).map(URLEncodedPairs.decodePercentOnly)
    }

    // MARK: Query

    /// A scalar query parameter; nil when absent (recording `missing` if `required`) or invalid.
    /// A repeated parameter takes its last value, as FastAPI does.
    public mutating func query<T: SchemaValue>(_ name: String, as type: T.Type, required: Bool = false) -> T? {
        self.decode(self.queryValue(name), at: .query, name, required: required)
    }

    public mutating func query<T: SchemaValue, Rules: Constraint<T>>(
        _ name: String,
        as type: T.Type,
        required: Bool = false,
        rules: Rules
    ) -> T? {
        self.decode(self.queryValue(name), at: .query, name, required: required, rules: rules)
    }

    /// A query parameter with a default, used when it is absent. An invalid value records an
    /// error and also returns the default; the route throws before using it.
    public mutating func query<T: SchemaValue>(_ name: String, as type: T.Type = T.self, default defaultValue: T) -> T {
        self.decode(self.queryValue(name), at: .query, name, required: false) ?? defaultValue
    }

    public mutating func query<T: SchemaValue, Rules: Constraint<T>>(
        _ name: String,
        as type: T.Type = T.self,
        default defaultValue: T,
        rules: Rules
    ) -> T {
        self.decode(self.queryValue(name), at: .query, name, required: false, rules: rules) ?? defaultValue
    }

    /// A list query parameter: `a=1&a=2` (form, exploded, FastAPI's way), `a=1,2`, `a=1%202`, `a=1|2`.
    public mutating func queryList<Element: SchemaValue>(
        _ name: String,
        of type: Element.Type,
        style: ParameterStyle = .form,
        explode: Bool = true,
        required: Bool = false
    ) -> [Element]? {
        self.decode(self.queryListValue(name, style: style, explode: explode), at: .query, name, required: required)
    }

    public mutating func queryList<Element: SchemaValue>(
        _ name: String,
        of type: Element.Type,
        style: ParameterStyle = .form,
        explode: Bool = true,
        required: Bool = false,
        rules: ArrayRules<Element>
    ) -> [Element]? {
        self.decode(self.queryListValue(name, style: style, explode: explode), at: .query, name, required: required, rules: rules)
    }

    /// An object query parameter, as a form object of strings for a model to validate.
    ///
    /// `deepObject` reads `name[key]=value`; exploded `form` reads the listed `properties` as
    /// top-level parameters; non-exploded `form` reads `name=key,value,key,value`.
    public mutating func queryObject<T: SchemaValue>(
        _ name: String,
        as type: T.Type,
        style: ParameterStyle = .deepObject,
        explode: Bool = true,
        properties: [String] = [],
        required: Bool = false
    ) -> T? {
        let pairs = self.queryItems()
        var object = JSONObject(isForm: true)
        switch style {
        case .deepObject:
            let prefix = name + "["
            for pair in pairs.pairs where pair.name.hasPrefix(prefix) && pair.name.hasSuffix("]") {
                object.append(String(pair.name.dropFirst(prefix.count).dropLast()), .string(pair.value))
            }
        case .form where explode:
            for pair in pairs.pairs where properties.contains(pair.name) {
                object.append(pair.name, .string(pair.value))
            }
        default:
            if let text = pairs.last(name) {
                let items = style.splitList(text, name: name, explode: false)
                for index in stride(from: 0, to: items.count - 1, by: 2) {
                    object.append(items[index], .string(items[index + 1]))
                }
            }
        }
        return self.decode(object.isEmpty ? nil : .object(object), at: .query, name, required: required)
    }

    /// The parsed query string, parsed on first use.
    public mutating func queryItems() -> URLEncodedPairs {
        if let queryPairs { return queryPairs }
        let parsed = self.request.uri.query.map { URLEncodedPairs.parse($0) } ?? URLEncodedPairs()
        self.queryPairs = parsed
        return parsed
    }

    private mutating func queryValue(_ name: String) -> JSONValue? {
        self.queryItems().last(name).map(JSONValue.string)
    }

    private mutating func queryListValue(_ name: String, style: ParameterStyle, explode: Bool) -> JSONValue? {
        let pairs = self.queryItems()
        if style == .form, explode {
            let values = pairs.all(name)
            return values.isEmpty ? nil : .array(values.map(JSONValue.string))
        }
        return pairs.last(name).map { .array(style.splitList($0, name: name, explode: explode).map(JSONValue.string)) }
    }

    // MARK: Header

    /// A header parameter (names are case-insensitive). Repeated headers are joined with `,`.
    public mutating func header<T: SchemaValue>(_ name: String, as type: T.Type, required: Bool = false) -> T? {
        self.decode(self.headerValue(name), at: .header, name, required: required)
    }

    public mutating func header<T: SchemaValue, Rules: Constraint<T>>(
        _ name: String,
        as type: T.Type,
        required: Bool = false,
        rules: Rules
    ) -> T? {
        self.decode(self.headerValue(name), at: .header, name, required: required, rules: rules)
    }

    /// A list header parameter (`simple` style: `1,2,3`).
    public mutating func headerList<Element: SchemaValue>(_ name: String, of type: Element.Type, required: Bool = false) -> [Element]? {
        let raw = self.headerValue(name).flatMap(\.stringValue).map {
            JSONValue.array(ParameterStyle.simple.splitList($0, name: name, explode: false).map { .string($0.trimmingWhitespace()) })
        }
        return self.decode(raw, at: .header, name, required: required)
    }

    private func headerValue(_ name: String) -> JSONValue? {
        guard let fieldName = HTTPField.Name(name) else { return nil }
        let values = self.request.headers[values: fieldName]
        switch values.count {
        case 0: return nil
        case 1: return .string(values[0])
        default: return .string(values.joined(separator: ","))
        }
    }

    // MARK: Cookie

    public mutating func cookie<T: SchemaValue>(_ name: String, as type: T.Type, required: Bool = false) -> T? {
        self.decode(self.cookieValue(name), at: .cookie, name, required: required)
    }

    public mutating func cookie<T: SchemaValue, Rules: Constraint<T>>(
        _ name: String,
        as type: T.Type,
        required: Bool = false,
        rules: Rules
    ) -> T? {
        self.decode(self.cookieValue(name), at: .cookie, name, required: required, rules: rules)
    }

    private mutating func cookieValue(_ name: String) -> JSONValue? {
        if self.cookiePairs == nil {
            var pairs: [(name: String, value: String)] = []
            for header in self.request.headers[values: .cookie] {
                for item in header.split(separator: ";") {
                    let trimmed = item.trimmingWhitespace()
                    guard let equals = trimmed.firstIndex(of: "=") else { continue }
                    var value = String(trimmed[trimmed.index(after: equals)...])
                    if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                    pairs.append((String(trimmed[..<equals]), URLEncodedPairs.decodePercentOnly(value)))
                }
            }
            self.cookiePairs = pairs
        }
        return self.cookiePairs!.last { $0.name == name }.map { .string($0.value) }
    }

    // MARK: Decoding

    private mutating func decode<T: SchemaValue>(_ raw: JSONValue?, at base: ValidationPath, _ name: String, required: Bool) -> T? {
        guard let raw else {
            if required { self.errors.record(.missing, at: base.appending(.key(name)), input: .null) }
            return nil
        }
        return T.decode(raw, at: FieldLocation(base, .key(name), isText: true), errors: &self.errors)
    }

    private mutating func decode<T: SchemaValue, Rules: Constraint<T>>(
        _ raw: JSONValue?,
        at base: ValidationPath,
        _ name: String,
        required: Bool,
        rules: Rules
    ) -> T? {
        guard let raw else {
            if required { self.errors.record(.missing, at: base.appending(.key(name)), input: .null) }
            return nil
        }
        let location = FieldLocation(base, .key(name), isText: true)
        guard let value = T.decode(raw, at: location, errors: &self.errors) else { return nil }
        let before = self.errors.count
        rules.check(value, input: raw, at: location, errors: &self.errors)
        return self.errors.count == before ? value : nil
    }
}
