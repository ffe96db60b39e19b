import OpenAPI

/// Every file one generation run produces from `spec`, paths relative to the output folder,
/// sorted by path so the same spec always yields the same list. `existing` is what a previous
/// run left that this one must build on (the SQL lock file and migrations). Diagnostics with
/// errors mean the files must not be written.
///
/// This is the one place emitters are called from; `specgen generate` and the tests go
/// through it, so an emitter added here is checked by `generate --check` at once.
public func generateFiles(
    for spec: LoadedSpec, options: GenerationOptions, existing: ExistingOutput
) -> (files: [GeneratedFile], diagnostics: [Diagnostic]) {
    var files: [GeneratedFile] = []
    var diagnostics: [Diagnostic] = []

    let model = APIModel.build(from: spec)
    // The bundled document the server serves, without the internal schemas.
    files.append(GeneratedFile(path: "openapi.json", contents: Bundler.bundle(spec, omittingSchemas: model.internalComponentNames)))

    diagnostics += model.diagnostics
    files += SwiftEmitter(conformanceEntryPoints: options.conformanceEntryPoints).emit(model)
    let database = DatabaseEmitter(apiModule: options.apiModule).emit(model)
    files += database.files
    diagnostics += database.diagnostics
    files += TypeScriptEmitter.emit(model)

    // The SQL emitter gets the previous lock and migrations and returns the existing migrations
    // unchanged with any new one: the writer removes every owned file not in this list.
    let previous = SQLState(
        lock: existing.schemaLock,
        migrations: existing.migrations,
        folder: existing.folder + "/SQL")
    let sql = SQLEmitter.emit(model: model, previous: previous, allowDestructive: options.allowDestructive)
    files += sql.files
    diagnostics += sql.diagnostics

    files.sort { $0.path < $1.path }
    return (files, diagnostics)
}
