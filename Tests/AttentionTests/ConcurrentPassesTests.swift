import Synchronization
import Testing
import TensorCore
@testable import Attention

/// Forward passes run at the same time on several threads (as `vis` renders images in
/// parallel, each module sharing the scratch pool, the packed weights and the fork-join
/// pool) give bit for bit what one pass alone gives.
@Suite struct ConcurrentPassesTests {
    final class Results: Sendable {
        let outputs: Mutex<[Int: [Float]]> = Mutex([:])
    }

    /// `tasks` tasks each run `rounds` passes of `pass(seed)` on their own input; every
    /// result must equal the pass of the same seed run alone beforehand.
    static func check(tasks: Int, rounds: Int, _ pass: @escaping @Sendable (UInt64) throws -> [Float]) async throws {
        var alone: [UInt64: [Float]] = [:]
        for task in 0..<tasks { alone[UInt64(task)] = try pass(UInt64(task)) }
        let results = Results()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for round in 0..<rounds {
                        let output = try pass(UInt64(task))
                        results.outputs.withLock { $0[task * rounds + round] = output }
                    }
                }
            }
            try await group.waitForAll()
        }
        let outputs = results.outputs.withLock { $0 }
        for task in 0..<tasks {
            for round in 0..<rounds {
                #expect(outputs[task * rounds + round] == alone[UInt64(task)], "task \(task) round \(round)")
            }
        }
    }

    @Test(arguments: [true, false])
    func axialPasses(sum: Bool) async throws {
        let layer = try AxialAttentionTests.layer(dimension: 16, heads: 2, headDimension: 8, sum: sum)
        try await Self.check(tasks: 4, rounds: 6) { seed in
            let x = randomTensor([1, 16, 48, 40], seed: 900 + seed)
            let result = try layer(x, capture: .full)
            return result.output.storage + (result.heightAttention?.storage ?? []) + (result.widthAttention?.storage ?? [])
        }
    }

    @Test func selfAttentionPasses() async throws {
        let layer = try MultiHeadSelfAttentionTests.layer(dimension: 64, heads: 2, qkvBias: true, seed: 31)
        try await Self.check(tasks: 4, rounds: 6) { seed in
            let x = randomTensor([1, 640, 64], seed: 950 + seed)
            let result = try layer(x, capture: .full)
            return result.output.storage + (result.attention?.storage ?? [])
        }
    }
}
