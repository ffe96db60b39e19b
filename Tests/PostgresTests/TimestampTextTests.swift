import Foundation
import Testing

@testable import Postgres

@Suite struct TimestampTextTests {
    @Test func formatsUTCWithMicroseconds() {
        #expect(TimestampText.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(TimestampText.format(Date(timeIntervalSince1970: 1_700_000_000.123456)) == "2023-11-14T22:13:20.123456Z")
        #expect(TimestampText.format(Date(timeIntervalSince1970: 1_700_000_000.5)) == "2023-11-14T22:13:20.5Z")
        #expect(TimestampText.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(TimestampText.format(Date(timeIntervalSince1970: -62_135_596_800 - 86_400)) == "0001-12-31T00:00:00+00 BC")
    }

    @Test func parsesPostgresAndRFC3339Forms() throws {
        let reference = Date(timeIntervalSince1970: 1_700_000_000.123456)
        for text in [
            "2023-11-14 22:13:20.123456+00", "2023-11-14T22:13:20.123456Z", "2023-11-15 03:43:20.123456+05:30",
            "2023-11-14 17:13:20.123456-05", "2023-11-14t22:13:20.123456z",
        ] {
            let date = try #require(TimestampText.parse(text), "\(text)")
            #expect(abs(date.timeIntervalSince(reference)) < 0.000_001, "\(text)")
        }
        #expect(TimestampText.parse("2024-02-29") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(TimestampText.parse("2024-02-29 00:00:00") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(TimestampText.parse("infinity") == .distantFuture)
        #expect(TimestampText.parse("-infinity") == .distantPast)
        #expect(TimestampText.parse("0001-12-31 00:00:00+00 BC") == Date(timeIntervalSince1970: -62_135_596_800 - 86_400))
        // A `date` before year 1 has no time before its era.
        #expect(TimestampText.parse("0001-12-31 BC") == Date(timeIntervalSince1970: -62_135_596_800 - 86_400))
        for bad in [
            "", "2024-13-01", "2024-01-01 25", "2024-01-01T10:00:00+", "yesterday", "2024-01-01 10:00:00.Z",
            "0001-12-31 BC 10:00:00", "0001-12-31 BCE",
        ] {
            #expect(TimestampText.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func roundTripsAcrossCenturies() {
        for seconds in stride(from: -30_000_000_000.0, through: 30_000_000_000.0, by: 987_654_321.123456) {
            let date = Date(timeIntervalSince1970: seconds)
            let back = TimestampText.parse(TimestampText.format(date))
            // Microseconds, or what a Double can hold at that distance from 2001.
            let tolerance = max(0.000_001, date.timeIntervalSinceReferenceDate.ulp * 4)
            #expect(back.map { abs($0.timeIntervalSince(date)) <= tolerance } == true, "\(date)")
        }
    }
}
