import Testing

@testable import CodeGen

@Suite struct TypeScriptNamesTests {
    @Test(arguments: [
        ("name", "name"), ("$ref", "$ref"), ("_x1", "_x1"), ("a-b", "\"a-b\""), ("1a", "\"1a\""), ("200", "200"),
        ("0", "0"), ("007", "\"007\""), ("1.5", "1.5"), ("1.50", "\"1.50\""), ("-1", "\"-1\""), ("", "\"\""),
        ("delete", "delete"), ("é", "\"é\""), ("a b", "\"a b\""),
    ])
    func propertyKeys(_ key: String, _ expected: String) {
        #expect(TypeScriptNames.propertyKey(key) == expected)
    }

    @Test func stringLiteralsEscapeLikeJSON() {
        #expect(TypeScriptNames.stringLiteral("plain") == "\"plain\"")
        #expect(TypeScriptNames.stringLiteral("say \"hi\"\\") == "\"say \\\"hi\\\"\\\\\"")
        #expect(TypeScriptNames.stringLiteral("a\nb\tc\u{01}") == "\"a\\nb\\tc\\u0001\"")
        #expect(TypeScriptNames.stringLiteral("café \u{2028}") == "\"café \\u2028\"")
    }

    @Test(arguments: [
        (0.0, "0"), (3.0, "3"), (-2.0, "-2"), (1.5, "1.5"), (0.1, "0.1"), (1e21, "1e+21"), (1e-7, "1e-7"),
        (123456789012.0, "123456789012"),
    ])
    func numbersSpelledAsJavaScriptDoes(_ value: Double, _ expected: String) {
        #expect(TypeScriptNames.number(value) == expected)
    }

    @Test func reservedWordsAreNotBareIdentifiers() {
        #expect(TypeScriptNames.safeIdentifier("delete") == "delete_")
        #expect(TypeScriptNames.safeIdentifier("class") == "class_")
        #expect(TypeScriptNames.safeIdentifier("Delete") == "Delete")
        #expect(TypeScriptNames.safeIdentifier("item") == "item")
    }

    @Test func uniqueNamesCount() {
        var taken: Set<String> = ["Item", "Item2"]
        #expect(TypeScriptNames.unique("Item", in: &taken) == "Item3")
        #expect(TypeScriptNames.unique("Other", in: &taken) == "Other")
        #expect(taken.contains("Other"))
    }
}
