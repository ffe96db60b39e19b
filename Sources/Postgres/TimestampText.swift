import Foundation

/// Converts `Date` to and from PostgreSQL's text forms of `timestamptz`,
/// `timestamp` and `date`, and RFC 3339 (JSON documents).
///
/// Hand-written rather than `ISO8601DateFormatter`: it is on the path of every
/// row with a date, keeps microseconds exactly (the formatter stops at
/// milliseconds), and accepts PostgreSQL's variants (space separator,
/// `+00` offsets, ` BC`, `infinity`).
enum TimestampText {
    /// Seconds from 1970-01-01 to 2001-01-01 (Foundation's reference date).
    private static let referenceOffset: Int64 = 978_307_200

    /// `2024-05-06T07:08:09.123456Z`: UTC, microseconds (PostgreSQL's
    /// precision). Years before 1 get PostgreSQL's ` BC` suffix.
    static func format(_ date: Date) -> String {
        let micros =
            Int64((date.timeIntervalSinceReferenceDate * 1_000_000).rounded())
            + referenceOffset * 1_000_000
        return render(micros, daysBefore: 0, time: "T", zone: "Z", zoneBC: "+00")
    }

    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Parses `YYYY-MM-DD[( |T)HH:MM:SS[.f...]][Z|±HH[:MM[:SS]]][ BC]`, and
    /// `infinity` / `-infinity`. A missing offset means UTC.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Date? {
        if bytes.elementsEqual("infinity".utf8) { return .distantFuture }
        if bytes.elementsEqual("-infinity".utf8) { return .distantPast }
        var cursor = Cursor(bytes: bytes)
        guard let year = cursor.number(minDigits: 4, maxDigits: 9), cursor.take(UInt8(ascii: "-")),
            let month = cursor.number(minDigits: 2, maxDigits: 2), cursor.take(UInt8(ascii: "-")),
            let day = cursor.number(minDigits: 2, maxDigits: 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        // A `date` before year 1: `0044-03-15 BC`, no time.
        if cursor.take(" BC".utf8) {
            guard cursor.atEnd else { return nil }
            return Date(timeIntervalSinceReferenceDate: Double(days(fromCivil: 1 - year, month, day) * 86_400 - referenceOffset))
        }
        var secondOfDay: Int64 = 0
        // The digits as an exact fraction, divided once: a value read from binary (whole
        // microseconds over 10^6) then becomes the very same `Date`.
        var fraction = 0.0
        if cursor.take(UInt8(ascii: " ")) || cursor.take(UInt8(ascii: "T")) || cursor.take(UInt8(ascii: "t")) {
            guard let hour = cursor.number(minDigits: 2, maxDigits: 2), cursor.take(UInt8(ascii: ":")),
                let minute = cursor.number(minDigits: 2, maxDigits: 2), cursor.take(UInt8(ascii: ":")),
                let second = cursor.number(minDigits: 2, maxDigits: 2),
                hour <= 24, minute < 60, second <= 60
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60 + second
            if cursor.take(UInt8(ascii: ".")) {
                var numerator: Int64 = 0
                var denominator: Int64 = 1
                var digits = 0
                while let digit = cursor.digit() {
                    // Beyond 15 digits a Double no longer tells them apart.
                    if digits < 15 {
                        numerator = numerator * 10 + digit
                        denominator *= 10
                    }
                    digits += 1
                }
                guard digits > 0 else { return nil }
                fraction = Double(numerator) / Double(denominator)
            }
        }
        var offset: Int64 = 0
        if cursor.take(UInt8(ascii: "Z")) || cursor.take(UInt8(ascii: "z")) {
            offset = 0
        } else if let sign = cursor.peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            cursor.advance()
            guard let hours = cursor.number(minDigits: 2, maxDigits: 2) else { return nil }
            var total = hours * 3600
            _ = cursor.take(UInt8(ascii: ":"))
            if let minutes = cursor.number(minDigits: 2, maxDigits: 2) {
                total += minutes * 60
                _ = cursor.take(UInt8(ascii: ":"))
                if let seconds = cursor.number(minDigits: 2, maxDigits: 2) { total += seconds }
            }
            offset = sign == UInt8(ascii: "+") ? total : -total
        }
        var era = year
        if cursor.take(" BC".utf8) { era = 1 - year }
        guard cursor.atEnd else { return nil }
        let seconds = days(fromCivil: era, month, day) * 86_400 + secondOfDay - offset
        return Date(timeIntervalSinceReferenceDate: Double(seconds - referenceOffset) + fraction)
    }

    /// A `date`, `timestamp` or `timestamptz` value read in binary as the time it denotes.
    static func date(_ instant: PostgresBinary.Instant) -> Date {
        switch instant {
        case .infinity: return .distantFuture
        case .minusInfinity: return .distantPast
        case .microseconds(let micros):
            let seconds = micros.floorDivided(by: 1_000_000)
            let fraction = micros - seconds * 1_000_000
            let unixSeconds = seconds + PostgresBinary.epochSeconds
            return Date(
                timeIntervalSinceReferenceDate: Double(unixSeconds - referenceOffset)
                    + Double(fraction) / 1_000_000)
        }
    }

    /// What PostgreSQL's `date_out`, `timestamp_out` and `timestamptz_out` write for `instant`
    /// with `DateStyle` ISO and `TimeZone` UTC: `2024-05-06 07:08:09.12+00`, the fraction's
    /// trailing zeros dropped, years before 1 as ` BC`, `infinity` and `-infinity`.
    static func postgresText(_ instant: PostgresBinary.Instant, type: PostgresDataType) -> String {
        let micros: Int64
        switch instant {
        case .infinity: return "infinity"
        case .minusInfinity: return "-infinity"
        case .microseconds(let value): micros = value
        }
        let zone = type == .timestamptz ? "+00" : ""
        return render(
            micros, daysBefore: PostgresBinary.epochDays, time: type == .date ? nil : " ", zone: zone, zoneBC: zone)
    }

    /// `YYYY-MM-DD`, then unless `time` is nil `time` (the separator), `HH:MM:SS`, the fraction
    /// without trailing zeros and the zone, then ` BC` for years before 1 (their zone is
    /// `zoneBC`). `micros` counts from `daysBefore` days after 1970-01-01: PostgreSQL's own
    /// epoch keeps its last timestamp (year 294276) inside an `Int64`.
    private static func render(_ micros: Int64, daysBefore: Int64, time: String?, zone: String, zoneBC: String)
        -> String
    {
        let seconds = micros.floorDivided(by: 1_000_000)
        let fraction = micros - seconds * 1_000_000
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days + daysBefore)
        let bc = year <= 0
        var text = ""
        text.reserveCapacity(32)
        text += pad(bc ? 1 - year : year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        if let time {
            text += time + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2)
            text += ":" + pad(secondOfDay % 60, 2)
            if fraction != 0 {
                var digits = pad(fraction, 6)
                while digits.hasSuffix("0") { digits.removeLast() }
                text += "." + digits
            }
            text += bc ? zoneBC : zone
        }
        if bc { text += " BC" }
        return text
    }

    // Howard Hinnant's algorithms (proleptic Gregorian calendar).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        var atEnd: Bool { index == bytes.count }

        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func advance() { index += 1 }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek() == byte else { return false }
            index += 1
            return true
        }

        mutating func take(_ literal: String.UTF8View) -> Bool {
            let end = index + literal.count
            guard end <= bytes.count, bytes[index..<end].elementsEqual(literal) else { return false }
            index = end
            return true
        }

        mutating func digit() -> Int64? {
            guard let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            index += 1
            return Int64(byte - UInt8(ascii: "0"))
        }

        mutating func number(minDigits: Int, maxDigits: Int) -> Int64? {
            var value: Int64 = 0
            var count = 0
            while count < maxDigits, let digit = digit() {
                value = value * 10 + digit
                count += 1
            }
            return count >= minDigits ? value : nil
        }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (dates before 1970).
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
