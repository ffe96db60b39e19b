/// A first-in-first-out queue on an array with a moving head, for the pool's waiters: taking
/// the oldest is O(1), where `Array.removeFirst` moves every element behind it (a thousand
/// callers queued on a small pool would pay that on every checkout). The consumed prefix is
/// dropped once it is half the storage.
struct FIFOQueue<Element>: RandomAccessCollection {
    private var storage: [Element] = []
    private var head = 0

    init() {}

    init(_ elements: [Element]) {
        storage = elements
    }

    var startIndex: Int { 0 }
    var endIndex: Int { storage.count - head }

    subscript(position: Int) -> Element { storage[head + position] }

    mutating func append(_ element: Element) {
        storage.append(element)
    }

    /// The oldest element, removed; nil when empty.
    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 32, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    @discardableResult
    mutating func remove(at position: Int) -> Element {
        storage.remove(at: head + position)
    }

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
    }
}

extension FIFOQueue: Sendable where Element: Sendable {}
