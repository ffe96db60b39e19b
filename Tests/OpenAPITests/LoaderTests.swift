import Foundation
import OpenAPI
import Testing

@Suite("Loader")
struct LoaderTests {
    // MARK: YAML anchors, aliases and merge keys

    static let withAnchors = """
        openapi: 3.1.0
        info: {title: Anchors, version: "1"}
        paths:
          /items:
            get:
              operationId: listItems
              responses:
                '200': &ok
                  description: OK
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Item'}
            post:
              operationId: createItem
              responses:
                '201': *ok
        x-shared:
          id: &id {type: string, format: uuid}
          stamps: &stamps
            created_at: &timestamp {type: string, format: date-time}
            updated_at: *timestamp
          object: &object
            type: object
            additionalProperties: false
            description: base
        components:
          schemas:
            Item:
              <<: *object
              description: An item
              required: [id, title]
              properties:
                <<: *stamps
                id: *id
                title: {type: string, maxLength: 255}
            Tag:
              <<: [*object, {type: string, title: merged}]
              properties:
                id: *id
        """

    static let expanded = """
        openapi: 3.1.0
        info: {title: Anchors, version: "1"}
        paths:
          /items:
            get:
              operationId: listItems
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Item'}
            post:
              operationId: createItem
              responses:
                '201':
                  description: OK
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Item'}
        x-shared:
          id: {type: string, format: uuid}
          stamps:
            created_at: {type: string, format: date-time}
            updated_at: {type: string, format: date-time}
          object:
            type: object
            additionalProperties: false
            description: base
        components:
          schemas:
            Item:
              type: object
              additionalProperties: false
              description: An item
              required: [id, title]
              properties:
                created_at: {type: string, format: date-time}
                updated_at: {type: string, format: date-time}
                id: {type: string, format: uuid}
                title: {type: string, maxLength: 255}
            Tag:
              type: object
              additionalProperties: false
              description: base
              title: merged
              properties:
                id: {type: string, format: uuid}
        """

    @Test("anchors, aliases and merge keys give the model of the expanded document")
    func anchorsAndMergeKeys() throws {
        let anchored = loadInMemory(Self.withAnchors)
        let plain = loadInMemory(Self.expanded)
        expectNoDiagnostics(anchored)
        expectNoDiagnostics(plain)
        let a = try #require(anchored.document)
        let b = try #require(plain.document)
        #expect(a.components.schemas.keys == b.components.schemas.keys)
        for (name, schema) in b.components.schemas {
            #expect(describe(a.components.schemas[name]!) == describe(schema), "schema \(name)")
        }
        #expect(a.extensions["x-shared"] == b.extensions["x-shared"])
        #expect(anchored.operationCount == 2)
        for (method, operation) in try #require(anchored.pathItems.first?.item.operations) {
            let response = try #require(operation.responses.values.first?.value)
            #expect(response.description == "OK", "\(method)")
            #expect(response.content["application/json"]?.schema?.ref?.name == "Item", "\(method)")
        }
        // The mapping's own keys win over merged ones; the first merged mapping wins over later ones.
        let item = try #require(a.components.schemas["Item"])
        #expect(item.description == "An item")
        let tag = try #require(a.components.schemas["Tag"])
        #expect(tag.types == [.object])
        #expect(tag.title == "merged")
    }

    @Test("a key beside a merge key is not a duplicate")
    func mergeKeyOverrideIsNotDuplicate() {
        let loaded = loadInMemory(
            """
            openapi: 3.1.0
            info: &info {title: T, version: "1"}
            x-info:
              <<: *info
              title: U
            paths: {}
            """)
        expectNoDiagnostics(loaded)
        let merged = JSONValue.object(OrderedMap([("title", .string("U")), ("version", .string("1"))]))
        #expect(loaded.document?.extensions["x-info"] == merged)
    }

    /// A canonical text of a schema's content, properties sorted by name.
    private func describe(_ schema: Schema, depth: Int = 0) -> String {
        guard depth < 8 else { return "…" }
        var parts: [String] = []
        if let types = schema.types { parts.append("type=\(types.map(\.rawValue))") }
        if let format = schema.format { parts.append("format=\(format)") }
        if let title = schema.title { parts.append("title=\(title)") }
        if let description = schema.description { parts.append("description=\(description)") }
        if let ref = schema.ref { parts.append("ref=\(ref.pointer)") }
        if let maxLength = schema.maxLength { parts.append("maxLength=\(maxLength)") }
        if !schema.required.isEmpty { parts.append("required=\(schema.required.sorted())") }
        switch schema.additionalProperties {
        case .allowed(let allowed)?: parts.append("additionalProperties=\(allowed)")
        case .schema(let inner)?: parts.append("additionalProperties=\(describe(inner, depth: depth + 1))")
        case nil: break
        }
        for (name, property) in schema.properties.sorted(by: { $0.0 < $1.0 }) {
            parts.append("\(name):\(describe(property, depth: depth + 1))")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    // MARK: Locations

    @Test("locations are 1-based and point at the nested property")
    func nestedSchemaLocation() throws {
        let path = "/virtual/locations.yaml"
        let loaded = loadInMemory(
            """
            openapi: 3.1.0
            info:
              title: T
              version: "1"
            paths: {}
            components:
              schemas:
                Item:
                  type: object
                  properties:
                    owner:
                      type: object
                      properties:
                        name:
                          type: string
                          maxLength: 10
                        tags: {type: array, items: {type: string}}
            """, path: path)
        expectNoDiagnostics(loaded)
        let document = try #require(loaded.document)
        #expect(document.location == OpenAPI.SourceLocation(file: path, line: 1, column: 1))
        let item = try #require(document.components.schemas["Item"])
        #expect(item.location == OpenAPI.SourceLocation(file: path, line: 9, column: 7))
        let owner = try #require(item.properties["owner"])
        #expect(owner.location == OpenAPI.SourceLocation(file: path, line: 12, column: 11))
        let name = try #require(owner.properties["name"])
        #expect(name.location == OpenAPI.SourceLocation(file: path, line: 15, column: 15))
        let tags = try #require(owner.properties["tags"])
        #expect(tags.location == OpenAPI.SourceLocation(file: path, line: 17, column: 19))
        #expect(tags.items?.location == OpenAPI.SourceLocation(file: path, line: 17, column: 40))
    }

    @Test("locations in a JSON document")
    func jsonSchemaLocation() throws {
        let path = "/virtual/locations.json"
        let loaded = loadInMemory(
            """
            {
              "openapi": "3.0.3",
              "info": {"title": "T", "version": "1"},
              "paths": {},
              "components": {
                "schemas": {
                  "Item": {
                    "type": "object",
                    "properties": {
                      "name": {"type": "string"}
                    }
                  }
                }
              }
            }
            """, path: path)
        expectNoDiagnostics(loaded)
        let item = try #require(loaded.document?.components.schemas["Item"])
        #expect(item.location == OpenAPI.SourceLocation(file: path, line: 7, column: 15))
        #expect(item.properties["name"]?.location == OpenAPI.SourceLocation(file: path, line: 10, column: 19))
    }

    // MARK: Schemas

    @Test("3.0 nullable and 3.1 null in type both make a schema nullable")
    func nullable() throws {
        let v30 = loadInMemory(
            """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                Name: {type: string, nullable: true}
                Plain: {type: string}
            """)
        expectNoDiagnostics(v30)
        let name30 = try #require(v30.document?.components.schemas["Name"])
        #expect(name30.isNullable)
        #expect(name30.nonNullTypes == [.string])
        #expect(v30.document?.components.schemas["Plain"]?.isNullable == false)

        let v31 = loadInMemory(
            """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                Name: {type: [string, "null"]}
                Plain: {type: [string]}
            """)
        expectNoDiagnostics(v31)
        let name31 = try #require(v31.document?.components.schemas["Name"])
        #expect(name31.isNullable)
        #expect(name31.types == [.string, .null])
        #expect(name31.nonNullTypes == [.string])
        #expect(v31.document?.components.schemas["Plain"]?.isNullable == false)
    }

    @Test("3.0 boolean exclusive bounds become 3.1's numeric form")
    func exclusiveBounds30() throws {
        let loaded = loadInMemory(
            """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                Above: {type: number, minimum: 5, exclusiveMinimum: true}
                Below: {type: number, exclusiveMaximum: true, maximum: 10}
                Inclusive: {type: number, minimum: 5, exclusiveMinimum: false, maximum: 10}
            """)
        expectNoDiagnostics(loaded)
        let schemas = try #require(loaded.document?.components.schemas)
        let above = try #require(schemas["Above"])
        #expect(above.exclusiveMinimum == 5)
        #expect(above.minimum == nil)
        let below = try #require(schemas["Below"])
        #expect(below.exclusiveMaximum == 10)
        #expect(below.maximum == nil)
        let inclusive = try #require(schemas["Inclusive"])
        #expect(inclusive.minimum == 5)
        #expect(inclusive.exclusiveMinimum == nil)
        #expect(inclusive.maximum == 10)
        #expect(inclusive.exclusiveMaximum == nil)
    }

    @Test("3.1 numeric exclusive bounds are kept")
    func exclusiveBounds31() throws {
        let loaded = loadInMemory(
            """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                Range: {type: number, minimum: 1, exclusiveMinimum: 0.5, exclusiveMaximum: 9.5}
            """)
        expectNoDiagnostics(loaded)
        let range = try #require(loaded.document?.components.schemas["Range"])
        #expect(range.minimum == 1)
        #expect(range.exclusiveMinimum == 0.5)
        #expect(range.exclusiveMaximum == 9.5)
        #expect(range.maximum == nil)
    }

    @Test("additionalProperties: false, true and a schema")
    func additionalProperties() throws {
        let loaded = loadInMemory(
            """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                Closed: {type: object, additionalProperties: false}
                Open: {type: object, additionalProperties: true}
                Map: {type: object, additionalProperties: {type: integer}}
                Unsaid: {type: object}
            """)
        expectNoDiagnostics(loaded)
        let schemas = try #require(loaded.document?.components.schemas)
        guard case .allowed(false)? = schemas["Closed"]?.additionalProperties else {
            Issue.record("Closed: \(String(describing: schemas["Closed"]?.additionalProperties))")
            return
        }
        guard case .allowed(true)? = schemas["Open"]?.additionalProperties else {
            Issue.record("Open: \(String(describing: schemas["Open"]?.additionalProperties))")
            return
        }
        guard case .schema(let values)? = schemas["Map"]?.additionalProperties else {
            Issue.record("Map: \(String(describing: schemas["Map"]?.additionalProperties))")
            return
        }
        #expect(values.types == [.integer])
        #expect(schemas["Unsaid"]?.additionalProperties == nil)
    }

    @Test("discriminator mapping values become resolved references")
    func discriminatorMapping() throws {
        let path = "/virtual/pets.yaml"
        let loaded = loadInMemory(
            """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                Pet:
                  oneOf:
                    - $ref: '#/components/schemas/Cat'
                    - $ref: '#/components/schemas/Dog'
                  discriminator:
                    propertyName: kind
                    mapping:
                      cat: '#/components/schemas/Cat'
                      dog: Dog
                Cat: {type: object, title: A cat, properties: {kind: {type: string}}}
                Dog: {type: object, title: A dog, properties: {kind: {type: string}}}
            """, path: path)
        expectNoDiagnostics(loaded)
        let pet = try #require(loaded.document?.components.schemas["Pet"])
        let discriminator = try #require(pet.discriminator)
        #expect(discriminator.propertyName == "kind")
        #expect(discriminator.mapping.keys == ["cat", "dog"])
        let cat = try #require(discriminator.mapping["cat"])
        let dog = try #require(discriminator.mapping["dog"])
        #expect(cat.file == path && cat.pointer == "/components/schemas/Cat")
        #expect(dog.file == path && dog.pointer == "/components/schemas/Dog")
        #expect(loaded.references.schema(cat)?.title == "A cat")
        #expect(loaded.references.schema(dog)?.title == "A dog")
        #expect(loaded.references.schema(dog) === loaded.document?.components.schemas["Dog"])
    }

    @Test("a discriminator mapping to a missing schema is reported")
    func discriminatorMappingDangling() {
        let loaded = loadInMemory(
            """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                Pet:
                  type: object
                  discriminator:
                    propertyName: kind
                    mapping:
                      bird: Bird
            """)
        expectDiagnostic(loaded, .error, line: 11, column: 17, containing: "'Bird' is not in '#/components/schemas'")
    }

    // MARK: Files

    @Test("relative-file references resolve from the file that holds them")
    func relativeFileReferences() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let main = try folder.write(
            "api/openapi.yaml",
            """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /pets:
                $ref: 'paths/pets.yaml'
            components:
              schemas:
                Pet:
                  $ref: 'models/pet.yaml#/Pet'
            """)
        try folder.write(
            "api/paths/pets.yaml",
            """
            get:
              operationId: listPets
              responses:
                '200':
                  description: The pets
                  content:
                    application/json:
                      schema:
                        type: array
                        items: {$ref: '../models/pet.yaml#/Pet'}
            """)
        try folder.write(
            "api/models/pet.yaml",
            """
            Pet:
              type: object
              properties:
                name: {type: string}
                tag: {$ref: 'common/tag.yaml#/Tag'}
                owner: {$ref: '../../shared/owner.yaml'}
            """)
        try folder.write(
            "api/models/common/tag.yaml",
            """
            Tag:
              type: string
              title: A tag
            """)
        try folder.write(
            "shared/owner.yaml",
            """
            type: object
            title: An owner
            """)
        let loaded = SpecLoader().load(path: main)
        expectNoDiagnostics(loaded)
        let root = folder.url.path
        #expect(loaded.files.first == main)
        #expect(
            Set(loaded.files) == [
                main, "\(root)/api/paths/pets.yaml", "\(root)/api/models/pet.yaml", "\(root)/api/models/common/tag.yaml",
                "\(root)/shared/owner.yaml",
            ])
        let petRef = try #require(loaded.document?.components.schemas["Pet"]?.ref)
        #expect(petRef.file == "\(root)/api/models/pet.yaml")
        let pet = try #require(loaded.references.schema(petRef))
        #expect(pet.location.file == "\(root)/api/models/pet.yaml")
        let tag = try #require(pet.properties["tag"]?.ref)
        #expect(tag.file == "\(root)/api/models/common/tag.yaml")
        #expect(loaded.references.schema(tag)?.title == "A tag")
        let owner = try #require(pet.properties["owner"]?.ref)
        #expect(owner.file == "\(root)/shared/owner.yaml" && owner.pointer == "")
        #expect(loaded.references.schema(owner)?.title == "An owner")

        #expect(loaded.pathItems.map(\.path) == ["/pets"])
        #expect(loaded.operationCount == 1)
        let listPets = try #require(loaded.pathItems.first?.item.operation(.get))
        #expect(listPets.operationId == "listPets")
        let response = try #require(listPets.responses["200"]?.value)
        let items = try #require(response.content["application/json"]?.schema?.items?.ref)
        #expect(loaded.references.schema(items) === pet)
    }

    @Test("a bad reference in a second file is reported in that file")
    func errorInReferencedFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let main = try folder.write(
            "openapi.yaml",
            """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                Pet: {$ref: 'pet.yaml#/Pet'}
            """)
        let second = try folder.write(
            "pet.yaml",
            """
            Pet:
              type: object
              properties:
                toy: {$ref: '#/Toy'}
            """)
        let loaded = SpecLoader().load(path: main)
        let error = try #require(loaded.errors.first, "\(loaded.report)")
        #expect(error.location == OpenAPI.SourceLocation(file: second, line: 4, column: 17))
        #expect(error.message.contains("'Toy' is not in '#'"), "\(error)")
    }

    @Test("a bare $ref where a plain value or a map of properties stands is followed")
    func bareReferencesInPlainPositions() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let main = try folder.write(
            "openapi.yaml",
            """
            openapi: 3.0.0
            info:
              title: T
              version: "1"
              description:
                $ref: 'texts.yaml#/introduction'
            paths: {}
            components:
              schemas:
                Box:
                  type: object
                  properties:
                    $ref: 'attributes.yaml#/box'
            """)
        try folder.write("texts.yaml", "introduction: |\n  Hello.\n")
        try folder.write("attributes.yaml", "box:\n  width: {type: integer}\n  height: {type: integer}\n")
        let loaded = SpecLoader().load(path: main)
        expectNoErrors(loaded)
        #expect(loaded.document?.info.description == "Hello.\n")
        #expect(loaded.document?.components.schemas["Box"]?.properties.keys == ["width", "height"])
    }

    // MARK: Operations and paths

    static let operations = """
        openapi: 3.1.0
        info: {title: T, version: "1", x-audience: internal}
        x-generator: specgen
        paths:
          /items/{id}:
            x-path-note: kept
            parameters:
              - name: id
                in: path
                required: true
                schema: {type: string, format: uuid}
            post:
              operationId: replaceItem
              responses:
                '2XX': {description: done}
                default: {description: failed}
            get:
              operationId: readItem
              x-rate-limit: {per-minute: 60, burst: [1, 2]}
              parameters:
                - {name: verbose, in: query, schema: {type: boolean}}
              responses:
                '200':
                  description: The item
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Item'}
                '404': {description: not found}
            delete:
              operationId: deleteItem
              responses:
                '204': {description: gone}
          /a:
            get: {operationId: a, responses: {'200': {description: ok}}}
          /b:
            patch: {operationId: b, responses: {'200': {description: ok}}}
        components:
          schemas:
            Item:
              type: object
              x-db-table: item
              properties:
                id: {type: string, format: uuid, x-db-primary-key: true}
        """

    @Test("x- extensions are kept on the document, operations and schemas")
    func extensions() throws {
        let loaded = loadInMemory(Self.operations)
        expectNoDiagnostics(loaded)
        let document = try #require(loaded.document)
        #expect(document.extensions["x-generator"] == .string("specgen"))
        #expect(document.info.extensions["x-audience"] == .string("internal"))
        let item = try #require(loaded.pathItems.first?.item)
        #expect(item.extensions["x-path-note"] == .string("kept"))
        let read = try #require(item.operation(.get))
        #expect(
            read.extensions["x-rate-limit"]
                == .object(OrderedMap([("per-minute", .integer(60)), ("burst", .array([.integer(1), .integer(2)]))])))
        let schema = try #require(document.components.schemas["Item"])
        #expect(schema.extensions["x-db-table"] == .string("item"))
        #expect(schema.properties["id"]?.extensions["x-db-primary-key"] == .bool(true))
    }

    @Test("path-level parameters are on the path item, operation parameters on the operation")
    func pathLevelParameters() throws {
        let loaded = loadInMemory(Self.operations)
        let item = try #require(loaded.pathItems.first?.item)
        let shared = item.parameters.compactMap(\.value)
        #expect(shared.map(\.name) == ["id"])
        #expect(shared.first?.location == .path)
        #expect(shared.first?.required == true)
        #expect(item.operation(.get)?.parameters.compactMap(\.value).map(\.name) == ["verbose"])
        // Declared at the path level, so no operation misses '{id}'.
        expectNoErrors(loaded)
    }

    @Test("operations keep document order")
    func operationOrder() throws {
        let loaded = loadInMemory(Self.operations)
        #expect(loaded.pathItems.map(\.path) == ["/items/{id}", "/a", "/b"])
        let item = try #require(loaded.pathItems.first?.item)
        #expect(item.operations.map(\.method) == [.post, .get, .delete])
        #expect(item.operations.map(\.operation.operationId) == ["replaceItem", "readItem", "deleteItem"])
        #expect(loaded.operationCount == 5)
    }

    @Test("2XX and default response keys parse with ResponseKey")
    func responseKeys() throws {
        let loaded = loadInMemory(Self.operations)
        let item = try #require(loaded.pathItems.first?.item)
        let replace = try #require(item.operation(.post))
        #expect(replace.responses.keys == ["2XX", "default"])
        #expect(replace.responses.keys.compactMap(ResponseKey.init) == [.range(2), .default])
        let read = try #require(item.operation(.get))
        #expect(read.responses.keys.compactMap(ResponseKey.init) == [.code(200), .code(404)])

        #expect(ResponseKey("2XX")?.isSuccess == true)
        #expect(ResponseKey("5XX") == .range(5))
        #expect(ResponseKey("default")?.isSuccess == false)
        for bad in ["20", "2000", "600", "099", "6XX", "2X", "abc", "", "Default"] {
            #expect(ResponseKey(bad) == nil, "\(bad)")
        }
        let keys: [ResponseKey] = [.default, .range(2), .code(404), .code(200)]
        #expect(keys.sorted() == [.code(200), .range(2), .code(404), .default])
    }

    // MARK: JSON parser

    @Test("JSON positions are 1-based lines and columns of each value")
    func jsonPositions() throws {
        let text = "{\n  \"a\": 1,\n  \"b\":   [true, \"x\"],\n\t\"c\": {\"d\": null}\n}"
        let (tree, log) = NodeTree.parse(Array(text.utf8), file: "positions.json")
        #expect(log.entries.isEmpty)
        let root = try #require(tree.root)
        #expect(tree.location(root) == OpenAPI.SourceLocation(file: "positions.json", line: 1, column: 1))
        let a = try #require(tree.value(root, forKey: "a"))
        #expect(tree.location(a) == OpenAPI.SourceLocation(file: "positions.json", line: 2, column: 8))
        let b = try #require(tree.value(root, forKey: "b"))
        #expect(tree.kind(b) == .sequence)
        #expect(tree.location(b) == OpenAPI.SourceLocation(file: "positions.json", line: 3, column: 10))
        let items = Array(tree.items(b))
        #expect(items.count == 2)
        #expect(tree.location(items[1]) == OpenAPI.SourceLocation(file: "positions.json", line: 3, column: 17))
        #expect(tree.string(items[1]) == "x")
        #expect(tree.isQuoted(items[1]))
        #expect(!tree.isQuoted(items[0]))
        let c = try #require(tree.value(root, forKey: "c"))
        let d = try #require(tree.value(c, forKey: "d"))
        #expect(tree.location(d) == OpenAPI.SourceLocation(file: "positions.json", line: 4, column: 13))
    }

    @Test("JSON string escapes, unicode escapes and surrogate pairs")
    func jsonEscapes() throws {
        let text = #"""
            {"emoji": "\ud83d\ude00", "accent": "caf\u00e9", "plain": "é",
             "escapes": "a\"b\\c\/d\n\t", "lone": "x\ud83dy"}
            """#
        let (tree, log) = NodeTree.parse(Array(text.utf8), file: "escapes.json")
        #expect(log.entries.isEmpty)
        let root = try #require(tree.root)
        func string(_ key: String) -> String? { tree.value(root, forKey: key).map(tree.string) }
        #expect(string("emoji") == "😀")
        #expect(string("emoji")?.unicodeScalars.map(\.value) == [0x1F600])
        #expect(string("accent") == "café")
        #expect(string("plain") == "é")
        #expect(string("escapes") == "a\"b\\c/d\n\t")
        #expect(string("lone") == "x\u{FFFD}y")
    }

    @Test("a JSON error names line and column")
    func jsonErrorPosition() {
        let text = "{\n  \"a\": 1\n  \"b\": 2\n}"
        let (_, log) = NodeTree.parse(Array(text.utf8), file: "missing-comma.json")
        #expect(log.entries.map(\.description) == ["missing-comma.json:3:3: error: expected ',' or '}', found '\"'"])
    }

    // MARK: Diagnostics

    @Test("a diagnostic prints as file:line:column: severity: message")
    func diagnosticFormat() {
        let location = OpenAPI.SourceLocation(file: "api/openapi.yaml", line: 12, column: 7)
        #expect(Diagnostic(.error, "bad thing", at: location).description == "api/openapi.yaml:12:7: error: bad thing")
        #expect(Diagnostic(.warning, "odd thing", at: location).description == "api/openapi.yaml:12:7: warning: odd thing")
    }

    @Test("the loader's diagnostics print in that format with the path as given")
    func loaderDiagnosticFormat() {
        let path = TestPaths.badDocuments.appendingPathComponent("openapi-4.yaml").path
        let loaded = SpecLoader().load(path: path)
        #expect(
            loaded.diagnostics.entries.map(\.description) == [
                "\(path):1:10: error: unsupported OpenAPI version '4.0.0'; expected 3.0.x, 3.1.x or 3.2.x"
            ])
    }

    @Test("a relative path is read from the working directory and reported as given")
    func relativePath() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let absolute = try folder.write("spec.yaml", "openapi: 9.0.0\n")
        // Up to the root from the working directory, then down to the file.
        let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let relative = String(repeating: "../", count: depth) + absolute.dropFirst()
        let loaded = SpecLoader().load(path: relative)
        #expect(loaded.files == [absolute])
        #expect(
            loaded.diagnostics.entries.map(\.description)
                == ["\(relative):1:10: error: unsupported OpenAPI version '9.0.0'; expected 3.0.x, 3.1.x or 3.2.x"])
    }
}
