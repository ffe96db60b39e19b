import Testing

@testable import CodeGen

@Test func placeholder() {}
