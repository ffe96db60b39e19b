import Foundation
import Testing

@testable import CodeGen

@Suite struct DiffOptionsTests {
    /// `x-sunset` dates are compared as text with today's UTC date, so its format must be exact.
    @Test func todayIsTheUTCDateAsYearMonthDay() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let before = formatter.string(from: Date())
        let today = DiffOptions.currentDate()
        let after = formatter.string(from: Date())
        #expect(today == before || today == after)
        #expect(today.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil)
    }
}
