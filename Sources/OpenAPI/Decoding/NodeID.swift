/// A node in one of the loaded files.
struct NodeID: Hashable {
    var file: Int32
    var node: NodeTree.Index
}
