/// Writes a loaded document as the one self-contained JSON file the server serves
/// (`Generated/openapi.json`).
///
/// - The entry document is written in source order, 2-space indented, with a trailing newline.
///   Scalars are typed by the YAML 1.2 core schema, as the loader reads them: quoted text is a
///   string, `123` an integer, `1.5` a float printed so it reads back the same, `yes` a string,
///   `~` null. Aliases are written out in full.
/// - A `$ref` into another file becomes a local `#/components/<section>/<name>`, its target
///   copied into the section its position calls for (a parameter list item is a parameter,
///   `schema` a schema, a `paths` entry a path item in 3.1+). The name is the pointer's last
///   segment or the file's base name; a taken name gets `_2`, `_3`, … in first-use order.
///   The copies are bundled the same way, so references inside them are rewritten too.
/// - Where no section fits (an operation given by `$ref`, as DigitalOcean writes them, an
///   `info.description`, an extension, path items in 3.0) the target is written in place.
/// - The entry's own local references stay as written; a reference back into the entry
///   from another file becomes the local pointer to the same node.
///
/// - A reference the loader does not follow (in an extension such as `x-codeSamples`) is
///   still bundled: its file is read through `files`. One that leads nowhere stays as written.
///
/// The same loaded document always produces the same bytes.
public enum Bundler {
    /// - Parameter omittingSchemas: names of the entry's `components/schemas` left out (the
    ///   internal schemas the API model found: they must never be published).
    public static func bundle(
        _ spec: LoadedSpec, files: SourceFiles = .fileSystem(), omittingSchemas: Set<String> = []
    ) -> String {
        BundleEmitter(trees: spec.trees, files: files, omittingSchemas: omittingSchemas).run()
    }
}
