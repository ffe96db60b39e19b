import CodeGen
import OpenAPI

/// What the fuzzer runs on each input: the bytes as a spec file, loaded and resolved, then, when
/// they load without errors, the whole generation (Swift, TypeScript, SQL, the bundled JSON) in
/// memory. Any outcome is fine except a crash, a hang or memory growing without bound; the
/// regression tests replay every input that ever broke it through this same function.
public enum SpecInputCheck {
    /// The in-memory path the input is loaded from; `$ref`s to other files find nothing.
    public static let path = "/fuzz/input.yaml"

    /// Returns whether generation ran (the input loaded without errors).
    @discardableResult
    public static func run(_ bytes: [UInt8]) -> Bool {
        // The two-thread YAML parse, forced whatever the size, must build the single pass's tree.
        precondition(NodeTree.chunkedParseAgrees(bytes), "the chunked YAML parse disagrees with the single pass")
        let files = SourceFiles { requested in
            requested == path ? .success(bytes) : .failure(.notFound)
        }
        let spec = SpecLoader(files: files).load(path: path)
        guard !spec.diagnostics.hasErrors, spec.document != nil else { return false }
        _ = generateFiles(for: spec, options: GenerationOptions(), existing: ExistingOutput(folder: "/fuzz/Generated"))
        return true
    }
}
