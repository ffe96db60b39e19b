import Foundation
import Testing

@testable import OpenAPI

/// The bundled document must be JSON any tool reads, load again without errors, describe the
/// same API and be the same bytes every time.
@Suite struct BundlerTests {
    /// `Tests/OpenAPITests/Bundling` → the package root, symlinks resolved.
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let digitalOcean = repository.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/digitalocean/DigitalOcean-public.v2.yaml").path

    // MARK: Whole documents

    // The frozen copy of the example spec, not the project's own, which users edit.
    @Test(arguments: ["Tests/CodeGenTests/SQL/Fixtures/example-app.yaml", "DigitalOcean"])
    func bundleLoadsAgainWithTheSameCounts(_ document: String) throws {
        let path = document == "DigitalOcean" ? Self.digitalOcean : Self.repository.appendingPathComponent(document).path
        try #require(FileManager.default.fileExists(atPath: path), "missing \(path)")
        let original = SpecLoader().load(path: path)
        #expect(original.pathItems.count > 0)
        let bundled = Bundler.bundle(original)

        let json = try parseJSON(bundled)
        #expect(bundled.hasSuffix("}\n"))
        let references = allReferences(in: json)
        let external = references.filter { !$0.hasPrefix("#") }
        let externalCount = external.count
        let examples = external.prefix(3)
        #expect(externalCount == 0, "references left pointing at files, such as \(examples)")

        let reloaded = loadBundle(bundled)
        let errors = reloaded.diagnostics.entries.filter { $0.severity == .error }
        #expect(errors.isEmpty, "reloading reported: \(errors.prefix(5).map(\.description))")
        #expect(reloaded.pathItems.count == original.pathItems.count)
        #expect(reloaded.operationCount == original.operationCount)
        #expect(reloaded.files.count == 1)
    }

    @Test func digitalOceanOperationsAreInlinedAndSharedPartsBecomeComponents() throws {
        let original = SpecLoader().load(path: Self.digitalOcean)
        let json = try parseJSON(Bundler.bundle(original))
        let paths = try #require(json["paths"] as? [String: Any])
        let list = try #require((paths["/v2/droplets"] as? [String: Any])?["get"] as? [String: Any])
        // `get: {$ref: droplets_list.yml}` has no section in OpenAPI: its content stands in place.
        #expect(list["operationId"] as? String == "droplets_list")
        let parameters = try #require(list["parameters"] as? [[String: Any]])
        #expect(parameters.first?["$ref"] as? String == "#/components/parameters/per_page")
        let responses = try #require(list["responses"] as? [String: Any])
        #expect((responses["401"] as? [String: Any])?["$ref"] as? String == "#/components/responses/unauthorized")
        let components = try #require(json["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        #expect(schemas["droplet"] != nil)
        // `info.description: {$ref: description.yml#/introduction}` becomes the text itself.
        let info = try #require(json["info"] as? [String: Any])
        #expect((info["description"] as? String)?.isEmpty == false)
    }

    @Test func bundlingIsDeterministic() throws {
        let first = Bundler.bundle(SpecLoader().load(path: Self.digitalOcean))
        let second = Bundler.bundle(SpecLoader().load(path: Self.digitalOcean))
        #expect(first == second)
        let fixture = twoFileFixture()
        #expect(Bundler.bundle(fixture) == Bundler.bundle(twoFileFixture()))
    }

    // MARK: References into other files

    func twoFileFixture() -> LoadedSpec {
        loadFiles([
            "/api/openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /pets/{id}:
                get:
                  operationId: getPet
                  parameters:
                    - $ref: 'common/parameters.yaml#/PetID'
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            $ref: 'models/Pet.yaml'
            """,
            "/api/common/parameters.yaml": """
            PetID:
              name: id
              in: path
              required: true
              schema:
                type: string
                format: uuid
            """,
            "/api/models/Pet.yaml": """
            type: object
            required: [id]
            properties:
              id: {type: string}
              owner:
                $ref: 'Owner.yaml'
              tags:
                type: array
                items:
                  $ref: '#/$defs/Tag'
            $defs:
              Tag: {type: string}
            """,
            "/api/models/Owner.yaml": """
            type: object
            properties:
              name: {type: string}
              pets:
                type: array
                items:
                  $ref: 'Pet.yaml'
            """,
        ])
    }

    @Test func schemaAndParameterReferencesBecomeComponents() throws {
        let loaded = twoFileFixture()
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.entries)")
        let bundled = Bundler.bundle(loaded)
        let json = try parseJSON(bundled)
        let operation = try #require(
            ((json["paths"] as? [String: Any])?["/pets/{id}"] as? [String: Any])?["get"] as? [String: Any])
        let parameter = try #require((operation["parameters"] as? [[String: Any]])?.first)
        #expect(parameter["$ref"] as? String == "#/components/parameters/PetID")
        let schemaRef = try #require(
            ((((operation["responses"] as? [String: Any])?["200"] as? [String: Any])?["content"] as? [String: Any])?[
                "application/json"] as? [String: Any])?["schema"] as? [String: Any])
        #expect(schemaRef["$ref"] as? String == "#/components/schemas/Pet")

        let components = try #require(json["components"] as? [String: Any])
        #expect(Set(components.keys) == ["parameters", "schemas"])
        let parameters = try #require(components["parameters"] as? [String: Any])
        #expect((parameters["PetID"] as? [String: Any])?["in"] as? String == "path")
        let schemas = try #require(components["schemas"] as? [String: Any])
        // References inside copied content are rewritten too, cycles included: Pet → Owner → Pet.
        let pet = try #require(schemas["Pet"] as? [String: Any])
        let petProperties = try #require(pet["properties"] as? [String: Any])
        #expect((petProperties["owner"] as? [String: Any])?["$ref"] as? String == "#/components/schemas/Owner")
        // A local reference of a non-entry file leads into that file, so it is rewritten as well.
        #expect(
            ((petProperties["tags"] as? [String: Any])?["items"] as? [String: Any])?["$ref"] as? String
                == "#/components/schemas/Tag")
        let owner = try #require(schemas["Owner"] as? [String: Any])
        #expect(
            (((owner["properties"] as? [String: Any])?["pets"] as? [String: Any])?["items"] as? [String: Any])?["$ref"]
                as? String == "#/components/schemas/Pet")
        #expect(Set(schemas.keys) == ["Pet", "Owner", "Tag"])

        let reloaded = loadBundle(bundled)
        #expect(!reloaded.hasErrors, "\(reloaded.diagnostics.entries)")
        #expect(reloaded.document?.components.schemas.count == 3)
        #expect(reloaded.document?.components.parameters.count == 1)
    }

    @Test func componentsKeepSourceOrderAndEntryReferencesStayAsWritten() throws {
        let loaded = loadFiles([
            "/doc/openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            components:
              schemas:
                Local:
                  type: object
                  properties:
                    remote: {$ref: 'remote.yaml#/Remote'}
            paths:
              /a:
                get:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Local'}
            """,
            "/doc/remote.yaml": """
            Remote:
              type: object
              properties:
                back: {$ref: 'openapi.yaml#/components/schemas/Local'}
            """,
        ])
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.entries)")
        let bundled = Bundler.bundle(loaded)
        // `components` stays where the entry put it, before `paths`, and gains the copy.
        let componentsAt = try #require(bundled.range(of: "\"components\""))
        let pathsAt = try #require(bundled.range(of: "\"paths\""))
        #expect(componentsAt.lowerBound < pathsAt.lowerBound)
        #expect(bundled.contains("\"$ref\": \"#/components/schemas/Local\""))
        let json = try parseJSON(bundled)
        let schemas = try #require((json["components"] as? [String: Any])?["schemas"] as? [String: Any])
        #expect(Set(schemas.keys) == ["Local", "Remote"])
        // A reference from another file back into the entry becomes the entry's local pointer.
        #expect(
            (((schemas["Remote"] as? [String: Any])?["properties"] as? [String: Any])?["back"] as? [String: Any])?[
                "$ref"] as? String == "#/components/schemas/Local")
        #expect(!loadBundle(bundled).hasErrors)
    }

    @Test func entryComponentsThatOnlyReferenceAFileTakeItsContent() throws {
        let loaded = loadFiles([
            "/c/openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /pets:
                get:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: 'schemas/Pet.yaml'}
            components:
              schemas:
                Pet: {$ref: 'schemas/Pet.yaml'}
            """,
            "/c/schemas/Pet.yaml": """
            type: object
            properties:
              name: {type: string}
            """,
        ])
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.entries)")
        let json = try parseJSON(Bundler.bundle(loaded))
        let schemas = try #require((json["components"] as? [String: Any])?["schemas"] as? [String: Any])
        // No `Pet_2` copy: the entry's `Pet` holds the file's content and every reference names it.
        #expect(Set(schemas.keys) == ["Pet"])
        #expect((schemas["Pet"] as? [String: Any])?["type"] as? String == "object")
        #expect(allReferences(in: json) == ["#/components/schemas/Pet"])
    }

    @Test func nameCollisionsGetNumericSuffixes() throws {
        let loaded = loadFiles([
            "/n/openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /a:
                get:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              first: {$ref: 'a/Pet.yaml'}
                              second: {$ref: 'b/Pet.yaml'}
                              third: {$ref: 'c/things.yaml#/Pet'}
                              again: {$ref: 'a/Pet.yaml'}
                              local: {$ref: '#/components/schemas/Pet'}
            components:
              schemas:
                Pet: {type: string}
            """,
            "/n/a/Pet.yaml": "type: integer",
            "/n/b/Pet.yaml": "type: boolean",
            "/n/c/things.yaml": "Pet: {type: number}",
        ])
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.entries)")
        let bundled = Bundler.bundle(loaded)
        let json = try parseJSON(bundled)
        let properties = try #require(
            ((((((json["paths"] as? [String: Any])?["/a"] as? [String: Any])?["get"] as? [String: Any])?["responses"]
                as? [String: Any])?["200"] as? [String: Any]).flatMap {
                    (($0["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                })?["properties"] as? [String: Any])
        func ref(_ name: String) -> String? { (properties[name] as? [String: Any])?["$ref"] as? String }
        // The entry's own `Pet` keeps its name; copies are numbered in first-use order.
        #expect(ref("first") == "#/components/schemas/Pet_2")
        #expect(ref("second") == "#/components/schemas/Pet_3")
        #expect(ref("third") == "#/components/schemas/Pet_4")
        #expect(ref("again") == "#/components/schemas/Pet_2")
        #expect(ref("local") == "#/components/schemas/Pet")
        let schemas = try #require((json["components"] as? [String: Any])?["schemas"] as? [String: Any])
        #expect((schemas["Pet"] as? [String: Any])?["type"] as? String == "string")
        #expect((schemas["Pet_2"] as? [String: Any])?["type"] as? String == "integer")
        #expect((schemas["Pet_3"] as? [String: Any])?["type"] as? String == "boolean")
        #expect((schemas["Pet_4"] as? [String: Any])?["type"] as? String == "number")
        #expect(ComponentNames<ComponentSection>.sanitised("a b/c{d}") == "a_b_c_d_")
    }

    @Test func pathItemsAreComponentsIn31AndInlinedIn30() throws {
        for version in ["3.0.3", "3.1.0"] {
            let loaded = loadFiles([
                "/p/openapi.yaml": """
                openapi: \(version)
                info: {title: T, version: '1'}
                paths:
                  /items:
                    $ref: 'items.yaml'
                """,
                "/p/items.yaml": """
                get:
                  responses:
                    '204': {description: none}
                """,
            ])
            #expect(!loaded.hasErrors, "\(loaded.diagnostics.entries)")
            let bundled = Bundler.bundle(loaded)
            let json = try parseJSON(bundled)
            let item = try #require((json["paths"] as? [String: Any])?["/items"] as? [String: Any])
            if version.hasPrefix("3.0") {
                #expect(item["get"] != nil)
                #expect(json["components"] == nil)
            } else {
                #expect(item["$ref"] as? String == "#/components/pathItems/items")
            }
            let reloaded = loadBundle(bundled)
            #expect(!reloaded.hasErrors, "\(reloaded.diagnostics.entries)")
            #expect(reloaded.operationCount == 1)
        }
    }

    @Test func discriminatorMappingReferencesFollowTheirSchemas() throws {
        let loaded = loadFiles([
            "/d/openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            components:
              schemas:
                Animal:
                  oneOf:
                    - $ref: 'dog.yaml'
                  discriminator:
                    propertyName: kind
                    mapping:
                      dog: 'dog.yaml'
                      cat: Cat
            """,
            "/d/dog.yaml": "type: object",
        ])
        let json = try parseJSON(Bundler.bundle(loaded))
        let animal = try #require(
            ((json["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Animal"] as? [String: Any])
        let mapping = try #require((animal["discriminator"] as? [String: Any])?["mapping"] as? [String: Any])
        #expect(mapping["dog"] as? String == "#/components/schemas/dog")
        #expect(mapping["cat"] as? String == "Cat")
    }

    @Test func extensionReferencesAreInlinedEvenWhenTheLoaderSkippedThem() throws {
        let files = [
            "/x/openapi.yaml": """
            openapi: 3.1.0
            info:
              title: T
              version: '1'
              description: {$ref: 'text.yaml#/intro'}
            paths:
              /a:
                get:
                  x-codeSamples:
                    - $ref: 'samples/curl.yaml'
                  responses:
                    '204': {description: none}
            """,
            "/x/text.yaml": "intro: Hello from another file.",
            "/x/samples/curl.yaml": "lang: curl\nsource: curl https://example.com/a",
        ]
        let loaded = SpecLoader(files: .inMemory(files)).load(path: "/x/openapi.yaml")
        let bundled = Bundler.bundle(loaded, files: .inMemory(files))
        let json = try parseJSON(bundled)
        #expect((json["info"] as? [String: Any])?["description"] as? String == "Hello from another file.")
        let operation = try #require(
            ((json["paths"] as? [String: Any])?["/a"] as? [String: Any])?["get"] as? [String: Any])
        let samples = try #require(operation["x-codeSamples"] as? [[String: Any]])
        #expect(samples.first?["lang"] as? String == "curl")
        #expect(allReferences(in: json).isEmpty)
        // A file that cannot be read leaves the reference as written.
        let unreadable = Bundler.bundle(loaded, files: .inMemory(["/x/openapi.yaml": files["/x/openapi.yaml"]!]))
        #expect(unreadable.contains("\"$ref\": \"samples/curl.yaml\""))
    }

    @Test func aReferenceLoopThroughInlinedContentPointsAtTheCopy() throws {
        let files = [
            "/l/openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            x-tree: {$ref: 'tree.yaml'}
            """,
            "/l/tree.yaml": """
            name: root
            children:
              - $ref: '#'
            """,
        ]
        let loaded = SpecLoader(files: .inMemory(files)).load(path: "/l/openapi.yaml")
        let bundled = Bundler.bundle(loaded, files: .inMemory(files))
        let tree = try #require(try parseJSON(bundled)["x-tree"] as? [String: Any])
        #expect(tree["name"] as? String == "root")
        let child = try #require((tree["children"] as? [[String: Any]])?.first)
        #expect(child["$ref"] as? String == "#/x-tree")
        #expect(!loadBundle(bundled).hasErrors)
    }

    @Test func referencesInDataAreNotFollowed() throws {
        let loaded = loadFiles([
            "/e/openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            components:
              schemas:
                Doc:
                  type: object
                  example: {$ref: 'elsewhere.yaml'}
            """
        ])
        let json = try parseJSON(Bundler.bundle(loaded))
        let doc = try #require(
            ((json["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Doc"] as? [String: Any])
        #expect((doc["example"] as? [String: Any])?["$ref"] as? String == "elsewhere.yaml")
    }

    // MARK: Scalars

    @Test func scalarsAreTypedByTheCoreSchema() throws {
        let loaded = loadFiles([
            "/s/openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            x-values:
              quotedNumber: '123'
              number: 123
              negative: -7
              yes: yes
              tilde: ~
              empty:
              nullWord: null
              boolean: true
              quotedBoolean: "true"
              float: 1.5
              floatOne: 1.0
              exponent: 1e-5
              hex: 0x1F
              huge: 123456789012345678901234567890
              infinity: .inf
              version: 3.10
              text: "line\\nbreak \\"quoted\\" \\\\ back\\ttab"
              plain: hello world
              anchor: &shared {a: 1}
              alias: *shared
            """
        ])
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.entries)")
        let bundled = Bundler.bundle(loaded)
        let expected = [
            #""quotedNumber": "123""#, #""number": 123"#, #""negative": -7"#, #""yes": "yes""#, #""tilde": null"#,
            #""empty": null"#, #""nullWord": null"#, #""boolean": true"#, #""quotedBoolean": "true""#,
            #""float": 1.5"#, #""floatOne": 1.0"#, #""exponent": 1e-05"#, #""hex": 31"#,
            #""huge": 123456789012345678901234567890"#, #""infinity": ".inf""#, #""version": 3.1"#,
            #""text": "line\nbreak \"quoted\" \\ back\ttab""#, #""plain": "hello world""#,
        ]
        for line in expected {
            #expect(bundled.contains(line), "missing \(line) in:\n\(bundled)")
        }
        // An alias is written out in full where it stands.
        #expect(bundled.contains("\"alias\": {\n      \"a\": 1\n    }"))
        let values = try #require(try parseJSON(bundled)["x-values"] as? [String: Any])
        #expect(values["quotedNumber"] is String)
        #expect((values["number"] as? NSNumber)?.intValue == 123)
        #expect(values["tilde"] is NSNull)
        // Floats read back to the same Double.
        #expect((values["exponent"] as? NSNumber)?.doubleValue == 1e-5)

        // Through the loader again, the typed values are the same.
        let reloaded = loadBundle(bundled)
        let extensions = try #require(reloaded.document?.extensions["x-values"])
        guard case .object(let members) = extensions else {
            Issue.record("x-values is not an object")
            return
        }
        #expect(members["quotedNumber"] == .string("123"))
        #expect(members["number"] == .integer(123))
        #expect(members["yes"] == .string("yes"))
        #expect(members["tilde"] == .null)
        #expect(members["floatOne"] == .number(1.0))
        #expect(members["exponent"] == .number(1e-5))
    }

    @Test func outputIsPrettyPrintedWithTwoSpaces() {
        let loaded = loadFiles([
            "/f/openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            tags: []
            """
        ])
        #expect(
            Bundler.bundle(loaded) == """
                {
                  "openapi": "3.1.0",
                  "info": {
                    "title": "T",
                    "version": "1"
                  },
                  "paths": {},
                  "tags": []
                }

                """)
    }

    // MARK: Helpers

    private func loadFiles(_ files: [String: String]) -> LoadedSpec {
        let entry = files.keys.first { $0.hasSuffix("/openapi.yaml") }!
        return SpecLoader(files: .inMemory(files)).load(path: entry)
    }

    private func loadBundle(_ text: String) -> LoadedSpec {
        SpecLoader(files: .inMemory(["/bundle/openapi.json": text])).load(path: "/bundle/openapi.json")
    }

    private func parseJSON(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    private func allReferences(in value: Any) -> [String] {
        var found: [String] = []
        var stack: [Any] = [value]
        while let next = stack.popLast() {
            if let object = next as? [String: Any] {
                if let ref = object["$ref"] as? String { found.append(ref) }
                stack.append(contentsOf: object.values)
            } else if let array = next as? [Any] {
                stack.append(contentsOf: array)
            }
        }
        return found
    }
}
