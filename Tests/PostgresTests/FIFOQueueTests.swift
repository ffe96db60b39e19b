import Testing

@testable import Postgres

@Suite struct FIFOQueueTests {
    @Test func keepsOrderThroughPopsRemovalsAndCompaction() {
        var queue = FIFOQueue<Int>()
        #expect(queue.popFirst() == nil)
        for value in 0..<100 { queue.append(value) }
        var popped: [Int] = []
        // Past the point where the consumed prefix is dropped.
        for _ in 0..<60 { popped.append(queue.popFirst()!) }
        #expect(popped == Array(0..<60))
        #expect(Array(queue) == Array(60..<100))
        #expect(queue.first == 60)
        #expect(queue[1] == 61)
        #expect(queue.remove(at: 1) == 61)
        queue.append(100)
        #expect(Array(queue) == [60] + Array(62...100))
        #expect(queue.firstIndex(of: 62) == 1)
        while queue.popFirst() != nil {}
        #expect(queue.isEmpty)
        queue.append(7)
        #expect(Array(queue) == [7])
        queue.removeAll()
        #expect(queue.isEmpty && queue.popFirst() == nil)
    }
}
