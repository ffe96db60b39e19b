/// What is wrong with a value, without where: pydantic's `type`, `msg` and `ctx`.
///
/// Built by the validators and turned into a `ValidationError` once a location and the input are
/// attached. The static constructors hold pydantic v2's exact texts, so a client written against
/// FastAPI sees the same 422 bodies.
public struct ValidationIssue: Sendable, Hashable {
    public var type: String
    public var message: String
    public var context: JSONObject?

    @inlinable
    public init(type: String, message: String, context: JSONObject? = nil) {
        self.type = type
        self.message = message
        self.context = context
    }
}

extension ValidationIssue {
    // MARK: Presence and shape

    public static let missing = ValidationIssue(type: "missing", message: "Field required")
    public static let extraForbidden = ValidationIssue(type: "extra_forbidden", message: "Extra inputs are not permitted")
    public static let modelAttributesType = ValidationIssue(
        type: "model_attributes_type",
        message: "Input should be a valid dictionary or object to extract fields from"
    )
    public static let dictType = ValidationIssue(type: "dict_type", message: "Input should be a valid dictionary")
    public static let listType = ValidationIssue(type: "list_type", message: "Input should be a valid list")

    // MARK: Scalars

    public static let stringType = ValidationIssue(type: "string_type", message: "Input should be a valid string")
    public static let intType = ValidationIssue(type: "int_type", message: "Input should be a valid integer")
    public static let intParsing = ValidationIssue(
        type: "int_parsing",
        message: "Input should be a valid integer, unable to parse string as an integer"
    )
    public static let intFromFloat = ValidationIssue(
        type: "int_from_float",
        message: "Input should be a valid integer, got a number with a fractional part"
    )
    public static let intParsingSize = ValidationIssue(
        type: "int_parsing_size",
        message: "Unable to parse input string as an integer, exceeded maximum size"
    )
    public static let floatType = ValidationIssue(type: "float_type", message: "Input should be a valid number")
    public static let floatParsing = ValidationIssue(
        type: "float_parsing",
        message: "Input should be a valid number, unable to parse string as a number"
    )
    public static let boolType = ValidationIssue(type: "bool_type", message: "Input should be a valid boolean")
    public static let boolParsing = ValidationIssue(
        type: "bool_parsing",
        message: "Input should be a valid boolean, unable to interpret input"
    )
    public static let uuidType = ValidationIssue(
        type: "uuid_type",
        message: "UUID input should be a string, bytes or UUID object"
    )
    public static let datetimeType = ValidationIssue(type: "datetime_type", message: "Input should be a valid datetime")
    public static let dateType = ValidationIssue(type: "date_type", message: "Input should be a valid date")

    public static func uuidParsing(_ error: String) -> ValidationIssue {
        ValidationIssue(type: "uuid_parsing", message: "Input should be a valid UUID, \(error)", context: ["error": .string(error)])
    }

    public static func datetimeParsing(_ error: String) -> ValidationIssue {
        ValidationIssue(
            type: "datetime_from_date_parsing",
            message: "Input should be a valid datetime or date, \(error)",
            context: ["error": .string(error)]
        )
    }

    public static func dateParsing(_ error: String) -> ValidationIssue {
        ValidationIssue(
            type: "date_from_datetime_parsing",
            message: "Input should be a valid date or datetime, \(error)",
            context: ["error": .string(error)]
        )
    }

    public static func urlParsing(_ error: String) -> ValidationIssue {
        ValidationIssue(type: "url_parsing", message: "Input should be a valid URL, \(error)", context: ["error": .string(error)])
    }

    /// pydantic's email check is a `value_error` raised by email-validator.
    public static func invalidEmail(_ reason: String) -> ValidationIssue {
        ValidationIssue(
            type: "value_error",
            message: "value is not a valid email address: \(reason)",
            context: ["reason": .string(reason)]
        )
    }

    /// `expected` is already in pydantic's form: `'a' or 'b'`, `'a', 'b' or 'c'`, `1 or 2`.
    public static func enumeration(expected: String) -> ValidationIssue {
        ValidationIssue(type: "enum", message: "Input should be \(expected)", context: ["expected": .string(expected)])
    }

    // MARK: Strings

    public static func stringTooShort(minimum: Int) -> ValidationIssue {
        ValidationIssue(
            type: "string_too_short",
            message: "String should have at least \(minimum) character\(minimum == 1 ? "" : "s")",
            context: ["min_length": .integer(minimum)]
        )
    }

    public static func stringTooLong(maximum: Int) -> ValidationIssue {
        ValidationIssue(
            type: "string_too_long",
            message: "String should have at most \(maximum) character\(maximum == 1 ? "" : "s")",
            context: ["max_length": .integer(maximum)]
        )
    }

    public static func stringPatternMismatch(_ pattern: String) -> ValidationIssue {
        ValidationIssue(
            type: "string_pattern_mismatch",
            message: "String should match pattern '\(pattern)'",
            context: ["pattern": .string(pattern)]
        )
    }

    // MARK: Numbers

    public static func greaterThanOrEqual(_ bound: JSONValue) -> ValidationIssue {
        ValidationIssue(
            type: "greater_than_equal",
            message: "Input should be greater than or equal to \(numberText(bound))",
            context: ["ge": bound]
        )
    }

    public static func greaterThan(_ bound: JSONValue) -> ValidationIssue {
        ValidationIssue(type: "greater_than", message: "Input should be greater than \(numberText(bound))", context: ["gt": bound])
    }

    public static func lessThanOrEqual(_ bound: JSONValue) -> ValidationIssue {
        ValidationIssue(
            type: "less_than_equal",
            message: "Input should be less than or equal to \(numberText(bound))",
            context: ["le": bound]
        )
    }

    public static func lessThan(_ bound: JSONValue) -> ValidationIssue {
        ValidationIssue(type: "less_than", message: "Input should be less than \(numberText(bound))", context: ["lt": bound])
    }

    public static func multipleOf(_ factor: JSONValue) -> ValidationIssue {
        ValidationIssue(
            type: "multiple_of",
            message: "Input should be a multiple of \(numberText(factor))",
            context: ["multiple_of": factor]
        )
    }

    // MARK: Lists

    public static func tooShort(minimum: Int, actual: Int) -> ValidationIssue {
        ValidationIssue(
            type: "too_short",
            message: "List should have at least \(minimum) item\(minimum == 1 ? "" : "s") after validation, not \(actual)",
            context: ["field_type": "List", "min_length": .integer(minimum), "actual_length": .integer(actual)]
        )
    }

    public static func tooLong(maximum: Int, actual: Int) -> ValidationIssue {
        ValidationIssue(
            type: "too_long",
            message: "List should have at most \(maximum) item\(maximum == 1 ? "" : "s") after validation, not \(actual)",
            context: ["field_type": "List", "max_length": .integer(maximum), "actual_length": .integer(actual)]
        )
    }

    /// pydantic has no unique-list check (it has sets); the wording follows its style.
    public static let uniqueItems = ValidationIssue(type: "unique_items", message: "List should have unique items")

    /// The message shows the bound as the spec wrote it: `1`, not `1.0`, as pydantic does.
    static func numberText(_ value: JSONValue) -> String {
        switch value {
        case .integer(let value): return String(value)
        case .double(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
            return value.description
        default: return value.description
        }
    }
}
