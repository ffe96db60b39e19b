/// The coding keys of a generated model that has optional properties whose schema allows
/// `null`: the encoder writes those as `null` when they are nil (as FastAPI does), and leaves
/// out every other nil optional (writing `null` there would break the schema).
public protocol SchemaCodingKey: CodingKey {
    var acceptsNull: Bool { get }
}
