import OpenAPI

/// The `x-sunset` extension: the date after which a deprecated operation, parameter or property
/// may be removed. Read here once, so the model and `specgen diff` agree on what it says.
public enum Sunset {
    /// The date part (`YYYY-MM-DD`) of the `x-sunset` value (a date or an RFC 3339 time);
    /// `nil` when there is none or it is too short to hold a date.
    public static func date(in extensions: Extensions) -> String? {
        guard let text = extensions["x-sunset"]?.stringValue, text.count >= 10 else { return nil }
        return String(text.prefix(10))
    }
}
