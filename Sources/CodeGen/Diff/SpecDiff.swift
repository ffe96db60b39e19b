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
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        return String(format: "%04d-%02d-%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday)
    }
}

/// `specgen diff`: two loaded documents in, every change between them out, each classified for
/// clients and for the server by the rule that found it.
public enum SpecDiff {
    /// Both documents must have loaded without errors; the caller reports their diagnostics.
    public static func compare(
        old: LoadedSpec, new: LoadedSpec, oldName: String, newName: String, options: DiffOptions = DiffOptions()
    ) -> DiffReport {
        // The two models are built side by side: each build reads only its own document.
        let oldModel = Background { APIModel.buildForComparison(from: old) }
        let newModel = APIModel.buildForComparison(from: new)
        return compare(
            old: old, oldModel: oldModel.value, new: new, newModel: newModel, oldName: oldName, newName: newName, options: options)
    }

    /// `compare` for models built already (`APIModel.buildForComparison`).
    static func compare(
        old: LoadedSpec, oldModel: APIModel, new: LoadedSpec, newModel: APIModel, oldName: String, newName: String,
        options: DiffOptions
    ) -> DiffReport {
        var changes = SpecComparer(old: oldModel, new: newModel, options: options).run()
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
