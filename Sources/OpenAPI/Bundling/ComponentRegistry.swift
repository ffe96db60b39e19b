/// The components a bundle adds: one per target and section, each named once, in the order
/// they were first referenced, so the same document always yields the same names.
struct ComponentRegistry {
    /// A component named and waiting to be written.
    struct Entry {
        var section: ComponentSection
        var name: String
        var target: NodeID
    }

    private struct Key: Hashable {
        var section: ComponentSection
        var target: NodeID
    }

    private var taken = ComponentNames<ComponentSection>()
    private var names: [Key: String] = [:]
    private var entries: [Entry] = []
    private var nextEntry = 0

    /// Keeps a name the entry document already uses away from added components.
    mutating func reserve(_ name: String, in section: ComponentSection) {
        taken.reserve(name, in: section)
    }

    /// Names `target` after an entry component that stands for it, so references to it lead
    /// there instead of to a copy. False when the target already has a name in `section`.
    mutating func adopt(_ target: NodeID, as name: String, in section: ComponentSection) -> Bool {
        let key = Key(section: section, target: target)
        guard names[key] == nil else { return false }
        names[key] = name
        return true
    }

    /// The component holding `target` in `section`, added and queued on first use.
    mutating func name(for target: NodeID, suggested: String, in section: ComponentSection) -> String {
        let key = Key(section: section, target: target)
        if let known = names[key] { return known }
        let name = taken.unique(suggested, in: section)
        names[key] = name
        entries.append(Entry(section: section, name: name, target: target))
        return name
    }

    /// The next component to write; writing it may queue more.
    mutating func next() -> Entry? {
        guard nextEntry < entries.count else { return nil }
        defer { nextEntry += 1 }
        return entries[nextEntry]
    }
}
