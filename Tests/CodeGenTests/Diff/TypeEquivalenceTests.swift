import OpenAPI
import Testing

@testable import CodeGen

/// The types `specgen diff` skips are those that say the same thing, all the way down.
@Suite struct TypeEquivalenceTests {
    static func model(_ schemas: String) -> APIModel {
        let path = "/equivalence/openapi.yaml"
        let spec = SpecLoader(files: .inMemory([path: Snippet.document(schemas: schemas)])).load(path: path)
        #expect(!spec.hasErrors, "\(spec.diagnostics.entries.map(\.description))")
        return APIModel.buildForComparison(from: spec)
    }

    static func offset(_ component: String, in model: APIModel) -> Int {
        model.types.firstIndex { $0.componentKey?.hasSuffix("/" + component) == true } ?? -1
    }

    static let tree = """
        Node: {type: object, properties: {label: {type: string, maxLength: 5}, children: {type: array, items: {$ref: '#/components/schemas/Node'}}, owner: {$ref: '#/components/schemas/Owner'}}}
        Owner: {type: object, required: [id], properties: {id: {type: integer}}}
        """

    @Test func renamedAndReorderedComponentsAreEquivalent() {
        let old = Self.model(Self.tree)
        let new = Self.model(
            Self.tree.replacingOccurrences(of: "Owner", with: "Person").replacingOccurrences(of: "Node", with: "TreeNode"))
        var equivalence = TypeEquivalence(old: old.typeTable, new: new.typeTable)
        let answer1 = equivalence.same(Self.offset("Node", in: old), Self.offset("TreeNode", in: new))
        #expect(answer1)
        let answer2 = equivalence.same(Self.offset("Owner", in: old), Self.offset("Person", in: new))
        #expect(answer2)
        let answer3 = equivalence.same(Self.offset("Node", in: old), Self.offset("Person", in: new))
        #expect(!answer3)
    }

    /// A change deep down (the owner's id type) makes every type that reaches it differ, through
    /// the cycle too; the type that does not reach it stays equivalent.
    @Test func aDeepChangeReachesEveryAncestor() {
        let old = Self.model(Self.tree + "\nTag: {type: string, enum: [a, b]}")
        let new = Self.model(
            Self.tree.replacingOccurrences(of: "id: {type: integer}", with: "id: {type: string}") + "\nTag: {type: string, enum: [a, b]}")
        var equivalence = TypeEquivalence(old: old.typeTable, new: new.typeTable)
        let answer4 = equivalence.same(Self.offset("Owner", in: old), Self.offset("Owner", in: new))
        #expect(!answer4)
        let answer5 = equivalence.same(Self.offset("Node", in: old), Self.offset("Node", in: new))
        #expect(!answer5)
        let answer6 = equivalence.same(Self.offset("Tag", in: old), Self.offset("Tag", in: new))
        #expect(answer6)
        // Asked again, from the other end: the answer does not depend on what was asked first.
        var fresh = TypeEquivalence(old: old.typeTable, new: new.typeTable)
        let answer7 = fresh.same(Self.offset("Node", in: old), Self.offset("Node", in: new))
        #expect(!answer7)
        let answer8 = fresh.same(Self.offset("Owner", in: old), Self.offset("Owner", in: new))
        #expect(!answer8)
    }

    /// What only documents (descriptions, titles) is no difference; a rule is.
    @Test func rulesCountAndDescriptionsDoNot() {
        let old = Self.model("Name: {type: object, properties: {a: {type: string, description: one, maxLength: 3}}}")
        let described = Self.model("Name: {type: object, title: N, properties: {a: {type: string, description: two, maxLength: 3}}}")
        let tightened = Self.model("Name: {type: object, properties: {a: {type: string, description: one, maxLength: 2}}}")
        var equivalence = TypeEquivalence(old: old.typeTable, new: described.typeTable)
        let answer9 = equivalence.same(Self.offset("Name", in: old), Self.offset("Name", in: described))
        #expect(answer9)
        var tighter = TypeEquivalence(old: old.typeTable, new: tightened.typeTable)
        let answer10 = tighter.same(Self.offset("Name", in: old), Self.offset("Name", in: tightened))
        #expect(!answer10)
    }
}
