/// Where a value sits in the request, the `loc` of FastAPI's validation errors.
///
/// Validators take the path of the containing value plus the name of the member they read (see
/// `FieldLocation`), so the array for a field's own path is only built when an error is recorded:
/// a valid request allocates no paths at all.
public struct ValidationPath: Sendable, Hashable, ExpressibleByArrayLiteral {
    public var segments: [LocationSegment]

    @inlinable
    public init(_ segments: [LocationSegment]) {
        self.segments = segments
    }

    public init(arrayLiteral elements: LocationSegment...) {
        self.segments = elements
    }

    public static let body: ValidationPath = ["body"]
    public static let query: ValidationPath = ["query"]
    public static let path: ValidationPath = ["path"]
    public static let header: ValidationPath = ["header"]
    public static let cookie: ValidationPath = ["cookie"]

    @inlinable
    public func appending(_ segment: LocationSegment) -> ValidationPath {
        ValidationPath(self.segments + [segment])
    }

    @inlinable
    public static func + (lhs: ValidationPath, rhs: LocationSegment) -> ValidationPath {
        lhs.appending(rhs)
    }
}

/// A path and, optionally, one more step, kept apart until an error needs the whole `loc`; and
/// whether the value there came as text.
public struct FieldLocation: Sendable {
    public var parent: ValidationPath
    public var segment: LocationSegment?
    /// True for a parameter or a form field, whose every value is text on the wire: numbers and
    /// booleans are parsed from it. False for a JSON value, which must already have the type its
    /// schema says (`0` is not a boolean, `"5"` not an integer), as the spec's JSON Schema does.
    public var isText: Bool

    @inlinable
    public init(_ parent: ValidationPath, _ segment: LocationSegment? = nil, isText: Bool = false) {
        self.parent = parent
        self.segment = segment
        self.isText = isText
    }

    /// The full path, built on demand.
    @inlinable
    public var path: ValidationPath {
        guard let segment else { return self.parent }
        return self.parent.appending(segment)
    }

    /// The location of an element or member one level down.
    @inlinable
    public func appending(_ segment: LocationSegment) -> FieldLocation {
        FieldLocation(self.path, segment, isText: self.isText)
    }
}
