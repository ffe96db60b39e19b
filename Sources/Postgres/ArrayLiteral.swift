/// One-dimensional PostgreSQL array literals in text format: `{a,"b c",NULL}`.
enum ArrayLiteral {
    /// Builds `{...}` from element texts, nil meaning NULL. Every element is
    /// quoted, so commas, braces, spaces and the word NULL inside a value stay
    /// data; backslashes and double quotes are escaped.
    static func format(_ elements: [String?]) -> String {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            guard let element else {
                text += "NULL"
                continue
            }
            text += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { text += "\\" }
                text.unicodeScalars.append(character)
            }
            text += "\""
        }
        return text + "}"
    }

    /// Splits `{...}` into element bytes (nil for NULL), unquoting and
    /// unescaping. Skips a leading dimension decoration (`[0:2]={...}`).
    /// Multi-dimensional arrays are not supported (returns nil).
    static func parse(_ text: UnsafeRawBufferPointer) -> [[UInt8]?]? {
        var index = 0
        if text.first == UInt8(ascii: "[") {
            guard let equals = text.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            index = equals + 1
        }
        guard index < text.count, text[index] == UInt8(ascii: "{"), text.last == UInt8(ascii: "}") else { return nil }
        index += 1
        let end = text.count - 1
        var elements: [[UInt8]?] = []
        if index == end { return elements }
        while index <= end {
            var element: [UInt8] = []
            if text[index] == UInt8(ascii: "\"") {
                index += 1
                while index < end, text[index] != UInt8(ascii: "\"") {
                    if text[index] == UInt8(ascii: "\\") { index += 1 }
                    guard index < end else { return nil }
                    element.append(text[index])
                    index += 1
                }
                guard index < end else { return nil }
                index += 1  // closing quote
                elements.append(element)
            } else {
                if text[index] == UInt8(ascii: "{") { return nil }
                while index < end, text[index] != UInt8(ascii: ",") {
                    element.append(text[index])
                    index += 1
                }
                let isNull = element.count == 4 && String(decoding: element, as: UTF8.self).uppercased() == "NULL"
                elements.append(isNull ? nil : element)
            }
            guard index == end || text[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
        return elements
    }
}
