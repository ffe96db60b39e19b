#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// RFC 3339 timestamps (`format: date-time`) and full dates (`format: date`), read and written
/// without `DateFormatter` or `ISO8601DateFormatter`, which allocate and lock on every call.
///
/// Reading is as lenient as pydantic: `T`, `t`, `_` or a space between date and time, seconds and
/// offset optional (no offset means UTC), a fraction of any length, a bare date (midnight UTC) and
/// a Unix timestamp. Writing is pydantic's: `2024-01-02T03:04:05Z`, with six fraction digits only
/// when the instant has a fraction.
public enum RFC3339 {
    /// Why a text is not a timestamp, in pydantic's words (`ctx.error`).
    public struct Failure: Error, Sendable, Hashable {
        public var reason: String
    }

    // MARK: Reading

    /// Parses a `date-time`.
    public static func parseDateTime(_ text: some StringProtocol) -> Result<Date, Failure> {
        var string = String(text)
        return string.withUTF8 { parseDateTime(bytes: $0) }
    }

    /// Parses a full date (`YYYY-MM-DD`) and returns its calendar fields.
    public static func parseDate(_ text: some StringProtocol) -> Result<(year: Int, month: Int, day: Int), Failure> {
        var string = String(text)
        return string.withUTF8 { bytes in
            switch parseDatePart(bytes) {
            case .failure(let failure): return .failure(failure)
            case .success(let date):
                if bytes.count == 10 { return .success(date) }
                switch bytes[10] {
                case UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: "_"), UInt8(ascii: " "):
                    return .failure(Failure(reason: "Datetimes provided to dates should have zero time - e.g. be exact dates"))
                default:
                    return .failure(Failure(reason: "invalid datetime separator, expected `T`, `t`, `_` or space"))
                }
            }
        }
    }

    static func parseDateTime(bytes: UnsafeBufferPointer<UInt8>) -> Result<Date, Failure> {
        if let timestamp = unixTimestamp(bytes) { return .success(Date(timeIntervalSince1970: timestamp)) }
        let date: (year: Int, month: Int, day: Int)
        switch parseDatePart(bytes) {
        case .failure(let failure): return .failure(failure)
        case .success(let value): date = value
        }
        let days = daysFromCivil(year: date.year, month: date.month, day: date.day)
        if bytes.count == 10 {
            return .success(Date(timeIntervalSince1970: Double(days) * 86_400))
        }
        let extra = Failure(reason: "unexpected extra characters at the end of the input")
        switch bytes[10] {
        case UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: "_"), UInt8(ascii: " "): break
        default: return .failure(extra)
        }
        var index = 11
        guard let hour = twoDigits(bytes, index), hour < 24, index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: ":"),
            let minute = twoDigits(bytes, index + 3), minute < 60
        else { return .failure(extra) }
        index += 5
        var second = 0
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            // pydantic allows a leap second (60) and folds it into the next minute.
            guard let value = twoDigits(bytes, index + 1), value <= 60 else { return .failure(extra) }
            second = value
            index += 3
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                index += 1
                var scale = 0.1
                let digitsStart = index
                while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                    fraction += Double(bytes[index] - UInt8(ascii: "0")) * scale
                    scale /= 10
                    index += 1
                }
                if index == digitsStart { return .failure(extra) }
            }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                guard let offsetHours = twoDigits(bytes, index + 1), offsetHours < 24 else { return .failure(extra) }
                index += 3
                var offsetMinutes = 0
                if index < bytes.count, bytes[index] == UInt8(ascii: ":") { index += 1 }
                if index < bytes.count {
                    guard let value = twoDigits(bytes, index), value < 60 else { return .failure(extra) }
                    offsetMinutes = value
                    index += 2
                }
                offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            default:
                return .failure(extra)
            }
        }
        guard index == bytes.count else { return .failure(extra) }
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return .success(Date(timeIntervalSince1970: Double(seconds) + fraction))
    }

    private static func parseDatePart(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<(year: Int, month: Int, day: Int), Failure> {
        guard bytes.count >= 10 else { return .failure(Failure(reason: "input is too short")) }
        var year = 0
        for index in 0..<4 {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return .failure(Failure(reason: "invalid character in year")) }
            year = year * 10 + Int(digit)
        }
        guard bytes[4] == UInt8(ascii: "-") else { return .failure(Failure(reason: "invalid date separator, expected `-`")) }
        guard let month = twoDigits(bytes, 5) else { return .failure(Failure(reason: "invalid character in month")) }
        guard bytes[7] == UInt8(ascii: "-") else { return .failure(Failure(reason: "invalid date separator, expected `-`")) }
        guard let day = twoDigits(bytes, 8) else { return .failure(Failure(reason: "invalid character in day")) }
        guard (1...12).contains(month) else {
            return .failure(Failure(reason: "month value is outside expected range of 1-12"))
        }
        guard day >= 1, day <= daysInMonth(year: year, month: month) else {
            return .failure(Failure(reason: "day value is outside expected range"))
        }
        return .success((year, month, day))
    }

    /// pydantic reads a number as seconds since 1970 (or milliseconds when it is very large).
    private static func unixTimestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count > 0, bytes.count < 32,
            bytes.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }),
            let value = Double(String(decoding: bytes, as: UTF8.self))
        else { return nil }
        return abs(value) > 20_000_000_000 ? value / 1000 : value
    }

    @inline(__always)
    private static func twoDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int? {
        guard index + 1 < bytes.count else { return nil }
        let high = bytes[index] &- UInt8(ascii: "0")
        let low = bytes[index + 1] &- UInt8(ascii: "0")
        guard high < 10, low < 10 else { return nil }
        return Int(high) * 10 + Int(low)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: Writing

    /// `2024-01-02T03:04:05Z`, or `2024-01-02T03:04:05.123456Z` when there is a fraction.
    public static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text of `date` to `bytes`.
    public static func append(_ date: Date, to bytes: inout [UInt8]) {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civilFromDays(days)
        appendDigits(year, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, count: 2, to: &bytes)
        if micros > 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(micros, count: 6, to: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    /// `YYYY-MM-DD` of the UTC day that holds `date`.
    public static func formatDate(_ date: Date) -> String {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let (year, month, day) = civilFromDays(days)
        var bytes: [UInt8] = []
        appendDigits(year, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendDigits(_ value: Int, count: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var value = max(0, value)
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            value %= divisor
            divisor /= 10
        }
    }

    // Howard Hinnant's algorithms: proleptic Gregorian calendar, days since 1970-01-01.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
