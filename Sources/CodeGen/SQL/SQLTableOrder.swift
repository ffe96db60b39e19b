/// Puts referenced tables first, so every `CREATE TABLE` finds the tables its foreign keys
/// name (and every `DROP TABLE`, run in reverse, finds nothing left pointing at it).
enum SQLTableOrder {
    /// `tables` in dependency order, ties kept in their given order so output is stable.
    /// When foreign keys form a cycle, the tables that could not be placed follow in their
    /// given order and `cycle` names the loop (`["a", "b", "a"]`).
    static func sort(_ tables: [SQLTable]) -> (tables: [SQLTable], cycle: [String]?) {
        let names = Set(tables.map(\.name))
        var placed: Set<String> = []
        var remaining = tables
        var ordered: [SQLTable] = []
        while !remaining.isEmpty {
            let ready = remaining.firstIndex { table in
                table.referencedTables.allSatisfy { placed.contains($0) || !names.contains($0) }
            }
            guard let ready else {
                return (ordered + remaining, cycle(in: remaining))
            }
            let table = remaining.remove(at: ready)
            placed.insert(table.name)
            ordered.append(table)
        }
        return (ordered, nil)
    }

    /// Walks unplaced references from the first unplaced table until a table repeats: every
    /// unplaced table waits on another unplaced one, so the walk must close a loop.
    private static func cycle(in remaining: [SQLTable]) -> [String] {
        let byName = Dictionary(remaining.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var path: [String] = []
        var current = remaining[0]
        while !path.contains(current.name) {
            path.append(current.name)
            guard let next = current.referencedTables.lazy.compactMap({ byName[$0] }).first else { return path }
            current = next
        }
        let start = path.firstIndex(of: current.name) ?? 0
        return Array(path[start...]) + [current.name]
    }
}
