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
        // The two models are built side by side: on two cores that halves the wait, and each
        // build reads only its own document.
        let models = ModelPair()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            models.set(index, APIModel.buildForComparison(from: index == 0 ? old : new))
        }
        var changes = SpecComparer(old: models.get(0), new: models.get(1), options: options).run()
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

/// The two models `compare` builds at once, each written by one thread.
private final class ModelPair: @unchecked Sendable {
    private let lock = NSLock()
    private var models: [APIModel?] = [nil, nil]

    func set(_ index: Int, _ model: APIModel) { lock.withLock { models[index] = model } }
    func get(_ index: Int) -> APIModel { lock.withLock { models[index]! } }
}
