/// The few helper types generated models need, written once into `Support.swift` so the
/// generated code depends on nothing but Foundation and the runtime.
enum SupportEmitter {
    static let file = """
        import Foundation

        /// One namespace per operation: its `Input`, its `Output` and the handler its route calls.
        public enum Operations {}

        /// Stores a value behind a reference, so a struct can contain itself.
        @propertyWrapper
        public struct Indirect<Value: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
            private final class Storage: Sendable {
                let value: Value
                init(_ value: Value) { self.value = value }
            }

            private var storage: Storage

            public init(wrappedValue: Value) {
                storage = Storage(wrappedValue)
            }

            public var wrappedValue: Value {
                get { storage.value }
                set { storage = Storage(newValue) }
            }

            public init(from decoder: any Decoder) throws {
                storage = Storage(try Value(from: decoder))
            }

            public func encode(to encoder: any Encoder) throws {
                try storage.value.encode(to: encoder)
            }

            public static func == (lhs: Indirect, rhs: Indirect) -> Bool {
                lhs.storage.value == rhs.storage.value
            }

            public func hash(into hasher: inout Hasher) {
                hasher.combine(storage.value)
            }
        }

        extension KeyedDecodingContainer {
            /// A missing key decodes an optional boxed property as nil, as it would unboxed.
            func decode<Wrapped>(_ type: Indirect<Wrapped?>.Type, forKey key: Key) throws -> Indirect<Wrapped?> {
                Indirect(wrappedValue: try decodeIfPresent(Wrapped.self, forKey: key))
            }
        }

        extension KeyedEncodingContainer {
            /// A nil boxed optional is left out, as it would be unboxed.
            mutating func encode<Wrapped>(_ value: Indirect<Wrapped?>, forKey key: Key) throws {
                try encodeIfPresent(value.wrappedValue, forKey: key)
            }
        }

        /// Keys known only at run time: additional properties and discriminators.
        struct DynamicCodingKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }

            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { return nil }
        }

        """
}
