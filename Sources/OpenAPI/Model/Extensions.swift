/// The `x-` fields of an object, kept verbatim for emitters and tools.
public typealias Extensions = OrderedMap<JSONValue>
