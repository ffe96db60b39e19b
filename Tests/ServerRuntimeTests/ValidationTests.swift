import Foundation
import ServerRuntime
import Testing

@Suite("Validation: pydantic's lax mode for text, JSON types for JSON")
struct ValidationTests {
    /// `value` read as text is (a parameter, a form field).
    func decode<T: SchemaValue>(_ type: T.Type, _ value: JSONValue) -> (T?, [ValidationError]) {
        var errors = ValidationErrors()
        let result = T.decode(value, at: FieldLocation(["query"], "f", isText: true), errors: &errors)
        return (result, errors.errors)
    }

    /// `value` read as a member of a JSON body is.
    func decodeJSON<T: SchemaValue>(_ type: T.Type, _ value: JSONValue) -> (T?, [ValidationError]) {
        var errors = ValidationErrors()
        let result = T.decode(value, at: FieldLocation(["body"], "f"), errors: &errors)
        return (result, errors.errors)
    }

    @Test func integers() {
        #expect(decode(Int.self, 5).0 == 5)
        #expect(decode(Int.self, 3.0).0 == 3)
        #expect(decode(Int.self, true).1.first?.type == "int_type")
        for text in [" 5", "5 ", "+5", "1_000", "1.0", "-0"] {
            #expect(decode(Int.self, .string(text)).0 != nil, "\(text)")
        }
        for text in ["0x10", "1.5", "1e2", "", "٣", "1__0", "_1"] {
            #expect(decode(Int.self, .string(text)).1.first?.type == "int_parsing", "\(text)")
        }
        #expect(decode(Int.self, -1.5).1.first?.type == "int_from_float")
        #expect(decode(Int.self, "99999999999999999999").1.first?.type == "int_parsing_size")
        #expect(decode(Int32.self, 3_000_000_000).1.first?.type == "int_parsing_size")
        #expect(decode(Int.self, [1]).1.first?.msg == "Input should be a valid integer")
    }

    @Test func numbersAndBooleans() {
        #expect(decode(Double.self, " 1.5 ").0 == 1.5)
        #expect(decode(Double.self, "1e3").0 == 1000)
        #expect(decode(Double.self, "-Infinity").0 == -.infinity)
        #expect(decode(Double.self, "0x1p3").1.first?.type == "float_parsing")
        for text in ["t", "f", "y", "n", "TRUE", "On", "OFF", "1", "0", "yes", "no"] {
            #expect(decode(Bool.self, .string(text)).0 != nil, "\(text)")
        }
        #expect(decode(Bool.self, "maybe").1.first?.msg == "Input should be a valid boolean, unable to interpret input")
        #expect(decode(Bool.self, "2").1.first?.type == "bool_parsing")
        #expect(decode(Bool.self, 1).1.first?.type == "bool_type")
    }

    /// Fuzz finding (schemathesis ST201): `{"is_superuser": 0}` was served as false, although the
    /// spec's JSON Schema says 0 is not a boolean. A JSON value must have its schema's JSON type;
    /// only text (parameters, form fields) is parsed.
    @Test func jsonValuesKeepTheirTypes() {
        #expect(decodeJSON(Bool.self, true).0 == true)
        for value: JSONValue in [0, 1, 1.0, "true", "yes", "0", "on"] {
            #expect(decodeJSON(Bool.self, value).1.first?.type == "bool_type", "\(value)")
            #expect(decodeJSON(Bool.self, value).1.first?.msg == "Input should be a valid boolean")
        }
        #expect(decodeJSON(Int.self, 3).0 == 3)
        #expect(decodeJSON(Int.self, 3.0).0 == 3, "JSON Schema counts 3.0 as an integer")
        #expect(decodeJSON(Int.self, 3.5).1.first?.type == "int_from_float")
        for value: JSONValue in ["3", " 3", true] {
            #expect(decodeJSON(Int.self, value).1.first?.type == "int_type", "\(value)")
        }
        #expect(decodeJSON(Double.self, 2).0 == 2)
        for value: JSONValue in ["1.5", "inf", false] {
            #expect(decodeJSON(Double.self, value).1.first?.type == "float_type", "\(value)")
        }
        #expect(decodeJSON(Level.self, "2").1.first?.type == "enum")
        #expect(decodeJSON(Date.self, 1_700_000_000).1.first?.type == "datetime_type")
        #expect(decodeJSON(Date.self, "2024-01-02T03:04:05Z").0 == Date(timeIntervalSince1970: 1_704_164_645))
        // Text inside: a form object's members and the elements of a parameter's list.
        var errors = ValidationErrors()
        let form = JSONObject([.init(key: "n", value: "5")], isForm: true)
        #expect(errors.field(Int.self, "n", in: form, at: .body) == 5)
        #expect(errors.field(Int.self, "n", in: JSONObject([.init(key: "n", value: "5")]), at: .body) == nil)
        #expect(errors.errors.map(\.type) == ["int_type"])
        #expect(decode([Bool].self, ["yes", "off"]).0 == [true, false])
    }

    @Test func uuids() {
        let expected = UUID(uuidString: "1B4E28BA-2FA1-11D2-883F-0016D3CCA427")
        for text in [
            "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "1b4e28ba2fa111d2883f0016d3cca427", "{1b4e28ba-2fa1-11d2-883f-0016d3cca427}",
            "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        ] {
            #expect(decode(UUID.self, .string(text)).0 == expected, "\(text)")
        }
        let cases: [(String, String)] = [
            ("notauuid", "invalid character: found `n` at 0"),
            ("1b4e28ba-2fa1-11d2-883f-0016d3cca42", "invalid group length in group 4: expected 12, found 11"),
            ("1b4e28ba-2fa1-11d2-883f-0016d3cca42z", "invalid character: found `z` at 35"),
            ("1b4e28ba2fa111d2883f0016d3cca4", "invalid length: found 30"),
            ("1b4e28ba-2fa1-11d2-883f0016d3cca427", "invalid group count: expected 5, found 4"),
        ]
        for (text, reason) in cases {
            let error = decode(UUID.self, .string(text)).1.first
            #expect(error?.msg == "Input should be a valid UUID, \(reason)")
            #expect(error?.ctx == ["error": .string(reason)])
        }
        #expect(decode(UUID.self, 5).1.first?.type == "uuid_type")
        #expect(UUIDText.format(expected!) == "1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    }

    @Test func dates() throws {
        #expect(decode(Date.self, "2024-01-02T03:04:05Z").0 == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(decode(Date.self, "2024-01-02T03:04:05.5+01:00").0 == Date(timeIntervalSince1970: 1_704_164_645.5 - 3600))
        #expect(decode(Date.self, "2024-01-02t03:04:05z").0 != nil)
        #expect(decode(Date.self, "2024-01-02 03:04").0 != nil)
        #expect(decode(Date.self, "2024-01-02").0 == Date(timeIntervalSince1970: 1_704_153_600))
        let cases: [(String, String)] = [
            ("yesterday", "input is too short"),
            ("x2024-01-01T00:00:00Z", "invalid character in year"),
            ("2024-13-01", "month value is outside expected range of 1-12"),
            ("2024-02-30", "day value is outside expected range"),
            ("2024-01-01T25:00:00", "unexpected extra characters at the end of the input"),
        ]
        for (text, reason) in cases {
            let error = decode(Date.self, .string(text)).1.first
            #expect(error?.type == "datetime_from_date_parsing")
            #expect(error?.msg == "Input should be a valid datetime or date, \(reason)", "\(text)")
        }
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_704_164_645)) == "2024-01-02T03:04:05Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_704_164_645.25)) == "2024-01-02T03:04:05.250000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(StringFormat.date.issue("2024-01-02") == nil)
        #expect(StringFormat.date.issue("2024-01-32")?.type == "date_from_datetime_parsing")
    }

    @Test func stringRules() {
        let rules = StringRules(minLength: 2, maxLength: 3, pattern: Pattern("^a"))
        #expect(rules.issue("ab") == nil)
        #expect(rules.issue("a")?.message == "String should have at least 2 characters")
        #expect(rules.issue("abcd")?.message == "String should have at most 3 characters")
        #expect(rules.issue("éééé")?.type == "string_too_long")
        #expect(StringRules(minLength: 2, maxLength: 3).issue("ééé") == nil, "lengths count scalars, not bytes")
        #expect(rules.issue("bb")?.message == "String should match pattern '^a'")
        #expect(StringRules(minLength: 1).issue("")?.message == "String should have at least 1 character")
        #expect(StringRules(pattern: Pattern(#"^\d{3}-[a-z]+$"#)).issue("123-abc") == nil)
        #expect(StringRules(pattern: Pattern("b+")).issue("abbc") == nil, "JSON Schema patterns are not anchored")
    }

    @Test func numberRules() {
        #expect(NumberRules<Int>(minimum: 0).issue(-1) == .greaterThanOrEqual(0))
        #expect(NumberRules<Int>(minimum: 0).issue(-1)?.message == "Input should be greater than or equal to 0")
        #expect(NumberRules<Int>(maximum: 10).issue(11)?.message == "Input should be less than or equal to 10")
        #expect(NumberRules<Double>(exclusiveMaximum: 1).issue(1)?.message == "Input should be less than 1")
        #expect(NumberRules<Double>(exclusiveMaximum: 1).issue(1)?.context == ["lt": 1.0])
        #expect(NumberRules<Double>(exclusiveMinimum: 0).issue(0)?.type == "greater_than")
        #expect(NumberRules<Double>(multipleOf: 0.25).issue(0.3)?.message == "Input should be a multiple of 0.25")
        #expect(NumberRules<Double>(multipleOf: 0.1).issue(0.3) == nil)
        #expect(NumberRules<Int>(multipleOf: 5).issue(12)?.type == "multiple_of")
    }

    @Test func arraysAndEnums() {
        var errors = ValidationErrors()
        let rules = ArrayRules<String>(minItems: 1, maxItems: 2, uniqueItems: true, items: StringRules(maxLength: 1))
        rules.check([], input: [], at: FieldLocation(["body"], "tags"), errors: &errors)
        #expect(errors.errors.first?.msg == "List should have at least 1 item after validation, not 0")
        #expect(errors.errors.first?.ctx == ["field_type": "List", "min_length": 1, "actual_length": 0])
        errors = ValidationErrors()
        rules.check(["a", "bb"], input: ["a", "bb"], at: FieldLocation(["body"], "tags"), errors: &errors)
        #expect(errors.errors.first?.loc == ["body", "tags", 1])
        errors = ValidationErrors()
        rules.check(["a", "a"], input: ["a", "a"], at: FieldLocation(["body"], "tags"), errors: &errors)
        #expect(errors.errors.first?.type == "unique_items")
        #expect(decode([Int].self, [1, "x"]).1.first?.loc == ["query", "f", 1])
        #expect(decode([Int].self, "x").1.first?.type == "list_type")

        #expect(decode(Color.self, "red").0 == .red)
        let error = decode(Color.self, "blue").1.first
        #expect(error?.msg == "Input should be 'red', 'green' or 'blue green'")
        #expect(error?.ctx == ["expected": "'red', 'green' or 'blue green'"])
        #expect(decode(Level.self, "2").0 == .two)
        #expect(decode(Level.self, 3).1.first?.msg == "Input should be 1 or 2")
    }

    /// A tuple (`prefixItems`): each position read as its own type and held to its own rules,
    /// the elements after it to the rest's; `null` only where the position allows it.
    @Test func tuplesAreCheckedPositionByPosition() {
        let rules = ArrayRules<JSONValue>(
            prefixItems: [PositionRule(String.self, rules: StringRules(minLength: 2)), nil, PositionRule(Int.self, nullable: true)],
            additionalItems: PositionRule(Bool.self))
        func issues(_ input: JSONValue) -> [ValidationError] {
            var errors = ValidationErrors()
            rules.check(input.arrayValue ?? [], input: input, at: FieldLocation(["body"], "pair"), errors: &errors)
            return errors.errors
        }
        #expect(issues(["ab", "anything", 3, true, false]).isEmpty)
        #expect(issues(["ab", 1, .null]).isEmpty)
        #expect(issues(["ab"]).isEmpty, "positions past the end are not required")
        #expect(issues(["a"]).first?.loc == ["body", "pair", 0])
        #expect(issues([5]).first?.type == "string_type")
        #expect(issues(["ab", 1, "x"]).first?.loc == ["body", "pair", 2])
        #expect(issues(["ab", 1, 2, "no"]).first?.loc == ["body", "pair", 3])
    }

    @Test func emails() {
        #expect(StringFormat.email.issue("a@example.com") == nil)
        #expect(StringFormat.email.issue("Ab.c+d@Example.CO.uk") == nil)
        let cases: [(String, String)] = [
            ("nope", "An email address must have an @-sign."),
            ("a@b", "The part after the @-sign is not valid. It should have a period."),
            ("@example.com", "There must be something before the @-sign."),
            ("a b@example.com", "The email address contains invalid characters before the @-sign: SPACE."),
            ("a..b@example.com", "An email address cannot have two periods in a row."),
        ]
        for (text, reason) in cases {
            let issue = StringFormat.email.issue(text)
            #expect(issue?.type == "value_error")
            #expect(issue?.message == "value is not a valid email address: \(reason)", "\(text)")
            #expect(issue?.context == ["reason": .string(reason)])
        }
        // Fuzz finding (schemathesis ST202): the spec's `maxLength: 255` promises 255-character
        // addresses, which email-validator's own 254 refused with a 422; JSON Schema's `email`
        // has no length of its own, so only a schema's `maxLength` limits one.
        let long =
            "abcdefg@" + String(repeating: "b", count: 60) + "." + String(repeating: "c", count: 60) + "."
            + String(repeating: "d", count: 60) + "." + String(repeating: "e", count: 60) + ".com"
        #expect(long.count == 255)
        #expect(StringFormat.email.issue(long) == nil)
        #expect(StringFormat.email.issue("x" + long) == nil)
        #expect(EmailAddress.problem(long) == "The email address is too long (1 character too many).", "settings keep 254")
        #expect(StringRules(maxLength: 255, format: .email).issue(long) == nil)
        #expect(StringRules(maxLength: 255, format: .email).issue(long + "m")?.type == "string_too_long")
        #expect(StringFormat.uri.issue("https://example.com/x") == nil)
        #expect(StringFormat.uri.issue("/relative")?.type == "url_parsing")
    }

    @Test func modelsCollectEveryError() {
        var errors = ValidationErrors()
        let model = ItemCreate(json: ["title": "", "description": 3, "extra": 1], at: FieldLocation(.body), errors: &errors)
        #expect(model == nil)
        #expect(errors.errors.map(\.type) == ["string_too_short", "string_type"])
        errors = ValidationErrors()
        errors.forbidExtraFields(["title": "a", "zzz": 1], allowed: ["title", "description"], at: .body)
        #expect(
            errors.errors == [
                ValidationError(type: "extra_forbidden", loc: ["body", "zzz"], msg: "Extra inputs are not permitted", input: 1)
            ])
        // Nested models get their own path.
        errors = ValidationErrors()
        _ = [ItemCreate].decode([["title": "ok"], [:]], at: FieldLocation(.body), errors: &errors)
        #expect(errors.errors.first?.loc == ["body", 1, "title"])
        #expect(errors.errors.first?.input == [:])
    }
}

enum Color: String, Codable, SchemaEnum {
    case red, green
    case blueGreen = "blue green"
}

enum Level: Int, Codable, SchemaEnum {
    case one = 1
    case two = 2
}
