import Testing

@testable import CodeGen

/// The casts of `insertStatement(_:onlyIf:)`'s derived table: a parameter there has no column to
/// take its type from, and an explicit cast to a length would cut a value the insert refuses.
@Suite struct GuardedInsertCastTests {
    @Test(arguments: [
        ("varchar(255)", "varchar"),
        ("character varying(30)", "character varying"),
        ("numeric(10, 2)[]", "numeric[]"),
        ("timestamp(3) with time zone", "timestamp with time zone"),
        ("uuid", "uuid"),
        ("text[]", "text[]"),
        ("jsonb", "jsonb"),
    ])
    func lengthsAreDropped(type: String, cast: String) {
        #expect(RepositoryEmitter.castType(type) == cast)
    }

    /// `char` and `bit` without a length mean a length of one: no cast at all.
    @Test(arguments: ["char(2)", "character(3)", "CHAR(4)", "bit(8)", "char(2)[]", "bpchar"])
    func typesWhoseBareNameMeansOneAreNotCast(type: String) {
        #expect(RepositoryEmitter.castType(type) == nil)
    }
}
