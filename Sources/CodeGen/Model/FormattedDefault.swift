import Foundation

/// The defaults of `format: uuid` and `format: date-time` strings, read once at generation time
/// so that decoding applies them as values of the Swift type (`UUID`, `Date`) and a default that
/// is not one (`default: now`) is a warning instead of a crash of the generated code.
enum FormattedDefault {
    /// The UUID `text` spells, in the lowercase form the API writes; nil when it is none.
    static func uuid(_ text: String) -> String? {
        UUID(uuidString: text).map { $0.uuidString.lowercased() }
    }

    /// Seconds since 1970 of the RFC 3339 date-time `text` (`2024-01-02T03:04:05Z`, with or
    /// without fractional seconds, any offset); nil when it is none. `ISO8601DateFormatter` is
    /// slow, which does not matter for a few defaults per document.
    static func dateTimeSeconds(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)?.timeIntervalSince1970
    }
}
