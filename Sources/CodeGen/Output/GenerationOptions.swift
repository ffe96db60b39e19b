/// What a generation run may do beyond the defaults, as chosen on the command line.
public struct GenerationOptions: Sendable {
    /// Lets the SQL emitter plan destructive migration steps (drops, narrowing types,
    /// `SET NOT NULL` on existing data); without it they are reported as errors.
    public var allowDestructive: Bool

    public init(allowDestructive: Bool = false) {
        self.allowDestructive = allowDestructive
    }
}
