import Testing
@testable import TensorCore

/// `HandoffProbe`: it needs two CPUs, uses the first two the thread may run on, and leaves the
/// calling thread's CPU set as it found it.
struct HandoffProbeTests {
    static let twoCPUs = HandoffProbe.allowedCPUs().count >= 2

    @Test(.enabled(if: twoCPUs, "needs two CPUs"))
    func measuresBetweenTheFirstTwoCPUsAndRestoresTheThread() throws {
        let before = HandoffProbe.allowedCPUs()
        let result = try #require(HandoffProbe.measure(bytes: 64 << 10, rounds: 20))
        #expect(result.cpus.0 == before[0] && result.cpus.1 == before[1])
        #expect(result.sameCPU > 0 && result.crossCPU > 0 && result.bytes == 64 << 10)
        #expect(HandoffProbe.allowedCPUs() == before)
    }

    @Test(.enabled(if: twoCPUs, "needs two CPUs"))
    func oneCPUIsNoHandoff() throws {
        let before = HandoffProbe.allowedCPUs()
        defer { HandoffProbe.restrictThread(to: before) }
        try #require(HandoffProbe.restrictThread(to: [before[1]]))
        #expect(HandoffProbe.allowedCPUs() == [before[1]])
        #expect(HandoffProbe.measure(bytes: 64 << 10, rounds: 4) == nil)
        #expect(HandoffProbe.allowedCPUs() == [before[1]])
    }
}
