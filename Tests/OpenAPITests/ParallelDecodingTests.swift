import Foundation
import Testing

@testable import OpenAPI

/// The parallel path must give exactly what decoding in order gives.
@Suite struct ParallelDecodingTests {
    @Test(arguments: ["stripe-spec3.yaml", "box.json", "discourse.yml"])
    func sameResultAsDecodingInOrder(_ name: String) throws {
        let path = try corpusFolder() + "/" + name
        let parallel = SpecLoader(parallelDecoding: true).load(path: path)
        let sequential = SpecLoader(parallelDecoding: false).load(path: path)
        #expect(parallel.diagnostics.entries == sequential.diagnostics.entries)
        #expect(parallel.operationCount == sequential.operationCount)
        let parallelSchemas = parallel.document?.components.schemas
        let sequentialSchemas = sequential.document?.components.schemas
        #expect(parallelSchemas?.keys == sequentialSchemas?.keys)
        #expect(parallel.references.schemas.keys.sorted() == sequential.references.schemas.keys.sorted())
        // Every reference resolves to a schema with the same shape in both.
        for (key, schema) in sequential.references.schemas {
            let other = try #require(parallel.references.schemas[key])
            #expect(other.location == schema.location)
            #expect(other.properties.keys == schema.properties.keys)
        }
    }

    private func corpusFolder() throws -> String {
        Corpus.folder.path
    }
}
