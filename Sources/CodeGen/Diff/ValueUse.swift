import OpenAPI

/// A value where it is used: its type and the constraints stated there, the default a client
/// leaving it out gets, and where it is declared (for a value of no named type).
struct ValueUse {
    var type: TypeRef
    var constraints: Constraints
    var defaultValue: JSONValue?
    var location: SourceLocation

    init(_ type: TypeRef, _ constraints: Constraints, defaultValue: JSONValue? = nil, at location: SourceLocation) {
        self.type = type
        self.constraints = constraints
        self.defaultValue = defaultValue
        self.location = location
    }
}
