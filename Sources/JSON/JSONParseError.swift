/// Why a request body is not JSON, in the words and position Python's `json` module uses, because
/// FastAPI puts both into its 422 (`ctx.error` and the last element of `loc`).
public struct JSONParseError: Error, Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The bytes are not valid JSON. FastAPI answers 422 `json_invalid`.
        case syntax
        /// A string holds bytes that are not UTF-8. Starlette fails to decode the body before
        /// parsing, and FastAPI answers 400 "There was an error parsing the body".
        case invalidUTF8
    }

    public var kind: Kind
    /// Python's message, e.g. "Expecting value" or "Expecting ',' delimiter".
    public var message: String
    /// Offset of the offending byte.
    public var byteOffset: Int
    /// Offset in Unicode scalars, what Python reports as `pos`.
    public var characterOffset: Int

    public init(kind: Kind = .syntax, message: String, byteOffset: Int, characterOffset: Int) {
        self.kind = kind
        self.message = message
        self.byteOffset = byteOffset
        self.characterOffset = characterOffset
    }
}
