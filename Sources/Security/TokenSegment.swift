/// One of the three dot-separated parts of a compact JWT, named in errors so
/// a log says which part of a rejected token was broken.
public enum TokenSegment: String, Sendable, Hashable {
    case header
    case payload
    case signature
}
