import ServerRuntime
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    @Test func parsesValuesKeepingOrder() throws {
        let value = try JSONParser.parse(
            #" {"b": [1, -2, 3.5, 1e2, true, false, null], "a": {"x": "\u00e9\n\"q\"", "y": "\ud83d\ude00"}, "n": -9223372036854775808} "#)
        #expect(value.objectValue?.members.map(\.key) == ["b", "a", "n"])
        #expect(value["b"] == [1, -2, 3.5, 100.0, true, false, nil])
        #expect(value["a"]?["x"] == "é\n\"q\"")
        #expect(value["a"]?["y"] == "😀")
        #expect(value["n"] == .integer(Int.min))
        #expect(try JSONParser.parse("18446744073709551616") == .double(18_446_744_073_709_551_616))
    }

    @Test func duplicateKeysReadAsTheLast() throws {
        #expect(try JSONParser.parse(#"{"a":1,"a":2}"#)["a"] == 2)
    }

    /// Messages and positions as Python's json module reports them (checked against FastAPI).
    @Test(arguments: [
        (#"{"title": }"#, "Expecting value", 10),
        (#"{"title": "a",}"#, "Expecting property name enclosed in double quotes", 14),
        (#"{"title": "a"} x"#, "Extra data", 15),
        (#"{"title": "a"#, "Unterminated string starting at", 10),
        ("   ", "Expecting value", 3),
        (#"{"a": [1, 2, ]}"#, "Expecting value", 13),
        (#"{"a" 1}"#, "Expecting ':' delimiter", 5),
        (#"{"a": 1 "b": 2}"#, "Expecting ',' delimiter", 8),
        (#"{"a": "\q"}"#, "Invalid \\escape", 7),
        ("{\"a\": \"\u{01}\"}", "Invalid control character at", 7),
        (#"{"title": "é", x}"#, "Expecting property name enclosed in double quotes", 15),
        ("01", "Extra data", 1),
        ("-", "Expecting value", 0),
        ("tru", "Expecting value", 0),
    ])
    func errorsMatchPython(input: String, message: String, position: Int) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(input) }
        do {
            _ = try JSONParser.parse(input)
        } catch {
            #expect(error.message == message)
            #expect(error.characterOffset == position)
        }
    }

    @Test func deepNestingIsRefused() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func invalidUTF8IsItsOwnKind() {
        do {
            _ = try JSONParser.parse([0x22, 0xFF, 0x22])
            Issue.record("parsed invalid UTF-8")
        } catch {
            #expect(error.kind == .invalidUTF8)
        }
    }

    @Test func writerRoundTrips() throws {
        let text = #"{"a":[1,2.5,"x\"\\\n\u0001/é"],"b":null,"c":{"d":true}}"#
        #expect(try JSONParser.parse(text).description == text)
    }
}
