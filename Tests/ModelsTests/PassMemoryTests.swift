import Testing
import TensorCore
@testable import Models

/// A pass whose attention maps cannot fit in the machine's memory is refused before it
/// allocates them (it used to abort the process on the allocation).
@Suite struct PassMemoryTests {
    /// The fixture ViT (patch 4, 4 heads, 2 blocks) on an image large enough that keeping
    /// every map (4 · 2 · T² floats) takes twice the machine's memory.
    @Test func mapsPastTheMachinesMemoryAreRefused() throws {
        let model = try ViTCheckpoint(path: Fixture.path("timm_vit_head")).model
        let tokens = (2 * Double(PhysicalMemory.bytes) / (4 * 4 * 2)).squareRoot()
        let side = Int(tokens.squareRoot().rounded(.up)) * 4
        let image = Tensor(shape: [1, 3, side, side])
        do {
            _ = try model(image, capture: .full)
            Issue.record("a \(side)×\(side) pass with every map was run")
        } catch let ModelError.passTooLarge(count, bytes, memory) {
            #expect(count == 1 + (side / 4) * (side / 4))
            #expect(bytes >= 2 * Double(memory) && memory == PhysicalMemory.bytes)
        }
        // The same image in the folder path (a ragged batch) is refused the same way.
        #expect(throws: ModelError.self) { _ = try model(images: [image], keepWeights: true) }
    }

    /// The estimate counts every block's maps only when they are kept.
    @Test func mapsCountOnlyWhenKept() throws {
        let model = try ViTCheckpoint(path: Fixture.path("timm_vit_head")).model
        let kept = model.passFloats(lengths: [4097], keepMaps: true)
        let dropped = model.passFloats(lengths: [4097], keepMaps: false)
        #expect(kept >= 4 * 2 * 4097 * 4097)      // 4 heads · 2 blocks · T²
        #expect(dropped < 4 * 4097 * 4097 / 2)    // less than one block's maps
        #expect(throws: ModelError.self) { try model.checkPassFits(lengths: [4097], keepMaps: true, memory: Int(4 * kept) - 1) }
        try model.checkPassFits(lengths: [4097], keepMaps: true, memory: Int(4 * kept))
    }
}
