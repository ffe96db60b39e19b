extension ValidationIssue {
    // MARK: Tagged unions (a `discriminator`), in pydantic v2's words

    /// The object has no string at the discriminator property.
    public static func unionTagNotFound(_ discriminator: String) -> ValidationIssue {
        ValidationIssue(
            type: "union_tag_not_found",
            message: "Unable to extract tag using discriminator '\(discriminator)'",
            context: ["discriminator": .string("'\(discriminator)'")]
        )
    }

    /// The discriminator holds a value no variant is selected by; `expected` lists the valid
    /// ones, quoted and comma-separated as pydantic prints them.
    public static func unionTagInvalid(_ discriminator: String, tag: String, expected: String) -> ValidationIssue {
        ValidationIssue(
            type: "union_tag_invalid",
            message: "Input tag '\(tag)' found using '\(discriminator)' does not match any of the expected tags: \(expected)",
            context: [
                "discriminator": .string("'\(discriminator)'"), "tag": .string(tag), "expected_tags": .string(expected),
            ]
        )
    }
}
