/// Integers written as text, read as pydantic reads them: surrounding whitespace, a sign,
/// underscores between digits and a zero fraction (`"1.0"`) are allowed; `"1.5"`, `"1e3"` and
/// hex are not.
enum IntegerText {
    enum Outcome<Value> {
        case value(Value)
        case tooLarge
        case invalid
    }

    static func parse<Value: FixedWidthInteger>(_ text: String, as type: Value.Type) -> Outcome<Value> {
        var text = text
        return text.withUTF8 { bytes in
            var start = 0
            var end = bytes.count
            while start < end, String.isASCIIWhitespace(bytes[start]) { start += 1 }
            while end > start, String.isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
            guard start < end else { return .invalid }
            var negative = false
            if bytes[start] == UInt8(ascii: "-") || bytes[start] == UInt8(ascii: "+") {
                negative = bytes[start] == UInt8(ascii: "-")
                start += 1
            }
            // A fraction of zeros is allowed and dropped.
            if let dot = (start..<end).first(where: { bytes[$0] == UInt8(ascii: ".") }) {
                guard dot + 1 < end, (dot + 1..<end).allSatisfy({ bytes[$0] == UInt8(ascii: "0") }) else { return .invalid }
                end = dot
            }
            guard start < end else { return .invalid }
            var magnitude: Value.Magnitude = 0
            var previousWasDigit = false
            var overflow = false
            for index in start..<end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "_") {
                    guard previousWasDigit, index + 1 < end else { return .invalid }
                    previousWasDigit = false
                    continue
                }
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return .invalid }
                previousWasDigit = true
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Value.Magnitude(digit))
                overflow = overflow || o1 || o2
                magnitude = sum
            }
            guard previousWasDigit else { return .invalid }
            if overflow { return .tooLarge }
            if negative {
                if magnitude == Value.Magnitude(Value.max) &+ 1 { return .value(Value.min) }
                guard magnitude <= Value.Magnitude(Value.max) else { return .tooLarge }
                return .value(0 - Value(magnitude))
            }
            guard magnitude <= Value.Magnitude(Value.max) else { return .tooLarge }
            return .value(Value(magnitude))
        }
    }
}
