import Foundation
import OpenAPI

/// What the comparison needs besides the two documents.
public struct DiffOptions: Sendable {
    /// Today as `YYYY-MM-DD`: a deprecated operation whose `x-sunset` date is after it may not
    /// be removed yet.
    public var today: String

    public init(today: String = DiffOptions.currentDate()) {
        self.today = today
    }

    /// The current UTC date, `YYYY-MM-DD`.
    public static func currentDate() -> String {
        let seconds = Int(Date().timeIntervalSince1970)
        // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
        let days = seconds / 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(pad(month))-\(pad(day))"
    }
}

/// `specgen diff`: two loaded documents in, every change between them out, each classified for
/// clients and for the server by the rule that found it.
public enum SpecDiff {
    /// Both documents must have loaded without errors; the caller reports their diagnostics.
    public static func compare(
        old: LoadedSpec, new: LoadedSpec, oldName: String, newName: String, options: DiffOptions = DiffOptions()
    ) -> DiffReport {
        var changes = SpecComparer(old: old, new: new, options: options).run()
        // Locations in the entry files name them as the user did, as lint's diagnostics do.
        for index in changes.indices {
            let file = changes[index].location.file
            if file == new.files.first {
                changes[index].location.file = newName
            } else if file == old.files.first {
                changes[index].location.file = oldName
            }
        }
        return DiffReport(oldName: oldName, newName: newName, changes: changes)
    }
}
