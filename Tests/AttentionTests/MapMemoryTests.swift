import Testing
import TensorCore
@testable import Attention

/// Attention maps that the machine's memory cannot hold are refused before they are
/// allocated (`vis forward` of a 200,000-token input used to abort on a 320 GB allocation).
@Suite struct MapMemoryTests {
    /// Two heads of 4 channels over N tokens, N such that the maps (2·N² floats) take twice
    /// the machine's memory; without maps the same input is accepted by the check.
    @Test func selfAttentionMapsPastTheMachinesMemoryAreRefused() throws {
        let c = 8
        let layer = try MultiHeadSelfAttention(qkv: Linear(weight: Tensor(shape: [3 * c, c])),
                                               projection: Linear(weight: Tensor(shape: [c, c]), bias: Tensor(shape: [c])),
                                               numHeads: 2)
        let n = Int((2 * Double(PhysicalMemory.bytes) / (4 * 2)).squareRoot().rounded(.up))
        let x = Tensor(shape: [1, n, c])
        do {
            _ = try layer(x, capture: .full)
            Issue.record("maps of \(n) tokens were allocated")
        } catch let AttentionError.mapsTooLarge(bytes, memory) {
            #expect(bytes == 4 * 2 * Double(n) * Double(n) && memory == PhysicalMemory.bytes)
        }
        #expect(throws: AttentionError.self) { _ = try layer(x, lengths: [n], keepWeights: true) }
        try layer.checkMapsFit(lengths: [n], capture: .none)
        try layer.checkMapsFit(lengths: [1000], capture: .full)
    }
}
