import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// Real version pairs of public specifications (`$SPECGEN_CORPUS/diff`, see its README.md and
/// MANIFEST.tsv): every change the manifest names is reported with its class, and for the pairs
/// of one commit nothing else breaks. Skipped when SPECGEN_CORPUS is unset.
@Suite struct DiffCorpusTests {
    static let folder: String? = ProcessInfo.processInfo.environment["SPECGEN_CORPUS"].map { $0 + "/diff" }

    /// A change the manifest names: the rule, the operation, a piece of the message, and who it breaks.
    struct Named: CustomStringConvertible {
        var rule: String
        var operation: String?
        var text: String

        init(_ rule: String, _ operation: String?, _ text: String = "") {
            self.rule = rule
            self.operation = operation
            self.text = text
        }

        var description: String { "\(rule) \(operation ?? "") \(text)" }

        func matches(_ change: SpecChange) -> Bool {
            change.rule.id == rule && change.operation == operation && (text.isEmpty || change.message.contains(text))
        }
    }

    struct Pair {
        var path: String
        /// Changes the manifest names that break clients or the server.
        var breaking: [Named]
        /// Changes the manifest names that break nothing (or only may: warnings).
        var notBreaking: [Named]
        /// The manifest lists every change (one commit): nothing else may break.
        var complete: Bool
    }

    static let userPaths = [
        "GET /u/{username}.json", "GET /u/by-external/{external_id}.json", "GET /u/by-external/{provider}/{external_id}.json",
    ]
    static let categoryPaths = ["POST /categories.json", "PUT /categories/{id}.json", "GET /c/{id}/show.json"]
    static let xmlDefaults = [
        "PUT /pet", "POST /pet", "GET /pet/findByStatus", "GET /pet/findByTags", "GET /pet/{petId}", "POST /pet/{petId}",
        "GET /store/order/{orderId}", "POST /user", "GET /user/login", "GET /user/{username}",
    ]
    static let petstoreOperations = [
        "PUT /pet", "POST /pet", "GET /pet/findByStatus", "GET /pet/findByTags", "GET /pet/{petId}", "POST /pet/{petId}",
        "DELETE /pet/{petId}", "POST /pet/{petId}/uploadImage", "GET /store/inventory", "POST /store/order",
        "GET /store/order/{orderId}", "DELETE /store/order/{orderId}", "POST /user", "POST /user/createWithList",
        "GET /user/login", "GET /user/logout", "GET /user/{username}", "PUT /user/{username}", "DELETE /user/{username}",
    ]

    static let pairs: [Pair] = [
        Pair(
            path: "discourse/8361012..9686f39",
            breaking: [
                Named("request-required-property-added", "POST /uploads.json", "'upload_type'"),
                Named("request-required-property-removed", "POST /uploads.json", "'type'"),
            ],
            notBreaking: categoryPaths.map { Named("response-optional-property-added", $0, "'category.available_category_types'") },
            complete: true),
        Pair(
            path: "discourse/6061940..aaba984",
            breaking: userPaths.flatMap {
                [
                    Named("response-property-type-changed", $0, "'user.featured_topic'"),
                    Named("response-property-nullable-removed", $0, "'user.featured_topic'"),
                ]
            },
            notBreaking: [], complete: true),
        Pair(
            path: "discourse/65796c3..dfcfbf2",
            breaking: userPaths.map { Named("response-required-property-removed", $0, "'user.user_option.enable_defer'") },
            notBreaking: [], complete: true),
        Pair(
            path: "discourse/b027b27..6737ac2",
            breaking: [
                Named("request-parameter-type-changed", "GET /posts.json", "'before'"),
                Named("request-property-became-required", "PUT /admin/users/{id}/silence.json", "'silenced_till'"),
                Named("request-property-became-required", "PUT /admin/users/{id}/silence.json", "'reason'"),
                Named("request-required-property-added", "POST /uploads.json", "'upload_type'"),
                Named("response-property-type-changed", "GET /tags.json", "'tags[].id'"),
                Named("response-property-type-changed", "GET /u/{username}.json", "'user.featured_topic'"),
                Named("response-required-property-removed", "GET /u/{username}.json", "'user.user_option.enable_defer'"),
                Named("response-required-property-removed", "GET /groups/{name}.json", "'group.imap_server'"),
            ],
            notBreaking: [
                Named("path-parameter-renamed", "GET /groups/{name}.json"),
                Named("path-parameter-renamed", "GET /groups/{name}/members.json"),
                Named("operation-added", "GET /groups/by-id/{id}.json"),
                Named("operation-added", "GET /admin/users.json"),
                Named("operation-added", "GET /discourse-post-event/events.json"),
                Named("operation-added", "GET /discourse-post-event/events.ics"),
                Named("operation-added", "POST /t/{id}/invite-group.json"),
                Named("request-parameter-removed", "GET /posts.json", "'Api-Key'"),
                Named("operation-id-changed", "GET /admin/users/list/{flag}.json", "'adminListUsersFlag'"),
            ],
            complete: false),
        Pair(
            path: "cloud-hypervisor/c89b8e061..3dd01443d",
            breaking: [
                Named("request-property-became-required", "PUT /vm.create", "'cpus.affinity[].vcpu'"),
                Named("request-property-became-required", "PUT /vm.create", "'cpus.affinity[].host_cpus'"),
                // Clients read the response as before (the manifest: non-breaking), but values
                // the server stored without these fields no longer fit it: breaking for the server.
                Named("response-property-became-required", "GET /vm.info", "'config.cpus.affinity[].vcpu'"),
                Named("response-property-became-required", "GET /vm.info", "'config.cpus.affinity[].host_cpus'"),
            ],
            notBreaking: [], complete: true),
        Pair(
            path: "cloud-hypervisor/43eb6f08a..5ce873219",
            breaking: [Named("operation-removed", "PUT /vmm.nmi")],
            notBreaking: [Named("operation-added", "PUT /vm.nmi")], complete: true),
        Pair(
            path: "cloud-hypervisor/e54913da0..ae04fa80b",
            breaking: [
                Named("response-property-enum-value-added", "GET /vm.info", "'state'"),
                Named("response-optional-property-removed", "GET /vm.info", "'config.generic-vhost-user'"),
                Named("request-optional-property-removed", "PUT /vm.create", "'generic-vhost-user'"),
            ],
            notBreaking: [
                Named("response-optional-property-added", "GET /vm.info", "'config.generic_vhost_user'"),
                Named("request-optional-property-added", "PUT /vm.create", "'generic_vhost_user'"),
                Named("request-optional-property-added", "PUT /vm.add-generic-vhost-user", "'id'"),
            ],
            complete: true),
        Pair(
            path: "cloud-hypervisor/e9b263975..ae04fa80b",
            breaking: [
                Named("operation-removed", "PUT /vmm.nmi"),
                Named("request-optional-property-removed", "PUT /vm.create", "'sgx_epc'"),
                Named("response-optional-property-removed", "GET /vm.info", "'config.sgx_epc'"),
                Named("request-optional-property-removed", "PUT /vm.create", "'numa[].sgx_epc_sections'"),
                Named("response-property-enum-value-added", "GET /vm.info", "'state'"),
                Named("response-property-enum-value-added", "GET /vm.info", "'config.debug_console.mode'"),
                Named("response-property-became-optional", "GET /vm.info", "'config.disks[].path'"),
            ],
            notBreaking: [
                Named("operation-added", "PUT /vm.nmi"),
                Named("operation-added", "PUT /vm.resize-disk"),
                Named("operation-added", "PUT /vm.add-generic-vhost-user"),
                Named("request-property-enum-value-added", "PUT /vm.create", "'debug_console.mode'"),
                Named("request-property-became-optional", "PUT /vm.create", "'disks[].path'"),
                Named("response-non-success-status-added", "PUT /vm.restore"),
            ],
            complete: false),
        Pair(
            path: "petstore/5b7e57c..bdc1a82",
            breaking: [],
            notBreaking: ["POST /pet", "PUT /pet", "POST /pet/{petId}", "POST /store/order"].map {
                Named("response-non-success-status-removed", $0, "405")
            } + [Named("response-success-status-added", "DELETE /pet/{petId}", "200")],
            complete: true),
        Pair(
            path: "petstore/bdc1a82..39b7b5f",
            breaking: xmlDefaults.map { Named("response-media-type-removed", $0, "application/xml") } + [
                Named("response-body-type-changed", "GET /user/login", "response default"),
                Named("response-body-type-changed", "GET /pet/findByStatus", "response default"),
                Named("response-required-property-removed", "PUT /pet", "'name'"),
            ],
            notBreaking: [Named("response-optional-header-removed", "GET /user/login", "'X-Rate-Limit'")],
            complete: false),
        Pair(
            path: "petstore/c6a8b2c..99f04dd",
            breaking: petstoreOperations.map { Named("response-media-type-removed", $0, "application/json") },
            notBreaking: [], complete: true),
        Pair(
            path: "petstore/363f729..409e9ba",
            breaking: [
                Named("response-media-type-removed", "POST /user", "application/json"),
                Named("response-media-type-removed", "POST /user", "application/xml"),
            ],
            notBreaking: ["POST /pet", "PUT /pet", "POST /pet/{petId}", "POST /store/order"].map {
                Named("response-non-success-status-removed", $0, "405")
            } + [Named("response-success-status-added", "POST /user", "200")],
            complete: false),
    ]

    /// A document against its own bundle (what `generate` writes as `openapi.json`, the default
    /// OLD): references into other files become components, and that is no change.
    @Test(arguments: [
        "cloud-hypervisor.yaml", "discourse.yml", "digitalocean/DigitalOcean-public.v2.yaml", "oai-petstore-expanded.yaml",
        "oai-callback-example.yaml",
    ])
    func documentAgainstItsBundle(_ document: String) throws {
        guard let folder = Self.folder else { return }
        let path = folder.dropLast("/diff".count) + "/" + document
        let spec = SpecLoader().load(path: String(path))
        #expect(!spec.hasErrors)
        let bundlePath = "/bundle/openapi.json"
        let bundle = SpecLoader(files: .inMemory([bundlePath: Bundler.bundle(spec)])).load(path: bundlePath)
        #expect(!bundle.hasErrors)
        let report = SpecDiff.compare(old: bundle, new: spec, oldName: bundlePath, newName: String(path))
        #expect(report.changes.isEmpty, "\(report.changes.prefix(5).map(\.description))")
    }

    @Test func everyPairIsListed() throws {
        guard let folder = Self.folder else { return }
        let manifest = try String(contentsOfFile: folder + "/MANIFEST.tsv", encoding: .utf8)
        let listed = manifest.split(separator: "\n").dropFirst().map { String($0.split(separator: "\t")[0]) }
        #expect(Set(listed) == Set(Self.pairs.map(\.path)))
    }

    @Test(arguments: pairs.map(\.path)) func pair(_ path: String) throws {
        guard let folder = Self.folder else { return }
        let pair = Self.pairs.first { $0.path == path }!
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(folder)/\(path)")
        let oldFile = "\(folder)/\(path)/" + files.first { $0.hasPrefix("old.") }!
        let newFile = "\(folder)/\(path)/" + files.first { $0.hasPrefix("new.") }!
        let old = SpecLoader().load(path: oldFile)
        let new = SpecLoader().load(path: newFile)
        #expect(!old.hasErrors && !new.hasErrors)
        let report = SpecDiff.compare(old: old, new: new, oldName: oldFile, newName: newFile, options: DiffOptions(today: "2026-12-01"))
        for named in pair.breaking {
            let found = report.changes.filter(named.matches)
            #expect(!found.isEmpty, "\(path): missing \(named)")
            #expect(found.allSatisfy { $0.rule.isBreaking }, "\(path): \(named) is not breaking")
        }
        for named in pair.notBreaking {
            let found = report.changes.filter(named.matches)
            #expect(!found.isEmpty, "\(path): missing \(named)")
            #expect(found.allSatisfy { !$0.rule.isBreaking }, "\(path): \(named) is breaking")
        }
        if pair.complete {
            let others = report.breaking.filter { change in !pair.breaking.contains { $0.matches(change) } }
            #expect(others.isEmpty, "\(path): also breaking: \(others.map(\.description))")
        }
    }
}
