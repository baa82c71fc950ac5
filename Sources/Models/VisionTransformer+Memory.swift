import TensorCore

extension VisionTransformer {
    /// The floats a pass over sequences of `lengths` tokens holds at its peak, about: every
    /// block's attention maps when they are kept (heads·Tᵢ² per block and sequence), else one
    /// block's scores (4 M, or 1024 rows of the longest sequence when that is more); plus the
    /// layers' outputs (q, k, v, the heads' outputs, the projections and the MLP's hidden
    /// layer: 6D + H per token) and the token stream (D per token).
    func passFloats(lengths: [Int], keepMaps: Bool) -> Double {
        let c = configuration
        let squares = lengths.reduce(0.0) { $0 + Double($1) * Double($1) }
        let longest = Double(lengths.max() ?? 0)
        let maps = keepMaps ? Double(c.numHeads) * squares * Double(c.depth)
            : Swift.max(Double(1 << 22), 1024 * longest)
        let tokens = Double(lengths.reduce(0, +))
        return maps + tokens * Double(7 * c.dimension + c.mlpDimension)
    }

    /// Refuses a pass that would need more memory than the machine has (a large
    /// `--model-size`, or a large input to `vis forward`), before anything is allocated.
    ///
    /// - Throws: ``ModelError/passTooLarge(tokens:bytes:memory:)``.
    func checkPassFits(lengths: [Int], keepMaps: Bool, memory: Int = PhysicalMemory.bytes) throws {
        let floats = passFloats(lengths: lengths, keepMaps: keepMaps)
        guard PhysicalMemory.fits(floats: floats, memory: memory) else {
            throw ModelError.passTooLarge(tokens: lengths.reduce(0, +), bytes: 4 * floats, memory: memory)
        }
    }
}
