#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A growable array of plain values in one malloc'd block. A tree's arrays reach tens of
/// megabytes: `realloc` grows and trims them in place (the kernel remaps the pages), where
/// a Swift array copies on every doubling and again to hand its storage over.
final class NodeBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = Self.reallocate(nil, to: self.capacity)
    }

    deinit { free(base) }

    /// Valid until the next append.
    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "node buffer index out of range")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "node buffer index out of range")
            base[index] = newValue
        }
    }

    @inline(__always)
    func append(_ element: Element) {
        if count == capacity { grow(to: count + 1) }
        base[count] = element
        count += 1
    }

    func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        guard let source = elements.baseAddress, !elements.isEmpty else { return }
        if count + elements.count > capacity { grow(to: count + elements.count) }
        (base + count).update(from: source, count: elements.count)
        count += elements.count
    }

    func removeLast(_ removed: Int) {
        precondition(removed >= 0 && removed <= count, "node buffer has fewer elements than removed")
        count -= removed
    }

    /// Drops the unused tail of the block once nothing more is appended.
    func trim() {
        guard capacity > count + 16 else { return }
        capacity = max(count, 16)
        base = Self.reallocate(base, to: capacity)
    }

    private func grow(to needed: Int) {
        while capacity < needed { capacity *= 2 }
        base = Self.reallocate(base, to: capacity)
    }

    private static func reallocate(_ pointer: UnsafeMutablePointer<Element>?, to capacity: Int) -> UnsafeMutablePointer<Element> {
        let bytes = capacity * MemoryLayout<Element>.stride
        guard let raw = realloc(pointer, bytes) else { fatalError("out of memory allocating \(bytes) bytes for a node tree") }
        return raw.bindMemory(to: Element.self, capacity: capacity)
    }
}
