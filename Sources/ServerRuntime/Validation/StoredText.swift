/// Text bound for a PostgreSQL `text` or `varchar` column, which cannot hold U+0000 although a
/// JSON string can carry it (`"\u0000"`). Such a value is refused with FastAPI's 422 at the field
/// it came in, before anything is stored; the driver would otherwise fail the statement (a 500).
/// The generated mappings from request bodies to new rows and changes call it for every text
/// column; a service that builds rows by hand calls it for the fields it stores.
public enum StoredText {
    public static let problem = "String must not contain the NUL character (PostgreSQL text cannot store it)"

    /// Throws one 422 listing every field in `fields` whose value holds a NUL.
    public static func check(_ fields: [(value: String?, at: ValidationPath)]) throws(ValidationErrors) {
        var errors = ValidationErrors()
        for field in fields {
            guard let value = field.value, value.utf8.contains(0) else { continue }
            errors.append(
                ValidationError(
                    type: "value_error", loc: field.at.segments, msg: "Value error, \(problem)", input: .string(value),
                    ctx: ["error": .string(problem)]))
        }
        if !errors.isEmpty { throw errors }
    }

    /// Whether `value` can be looked up at all: a NUL cannot be in any stored row.
    public static func isStorable(_ value: String) -> Bool {
        !value.utf8.contains(0)
    }
}
