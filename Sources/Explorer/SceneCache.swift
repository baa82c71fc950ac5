import Rendering
import Synchronization

/// The prepared scenes of recently clicked images, least recently used first out, within a
/// byte budget: an image's decode and feature pass run once, and each click only asks the
/// kept scene about another query (``AttentionScene/asking(_:)``).
///
/// Concurrent requests for an image not yet prepared share one preparation. An entry's
/// size is its canvas (3 bytes a pixel) plus the float tensors it holds (working image,
/// tokens, embeddings, features, saliency, a trained transformer's attention); the budget bounds their sum, and one scene
/// larger than the whole budget is prepared and used but not kept.
final class SceneCache: Sendable {
    struct Entry: Sendable {
        var scene: AttentionScene
        var bytes: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var preparing: [Int: Task<AttentionScene, any Error>] = [:]
        var clock: UInt64 = 0
        var bytes = 0
    }

    /// The byte budget.
    let limit: Int
    private let state = Mutex(State())
    private let prepare: @Sendable (Int) throws -> AttentionScene

    /// `prepare(i)` decodes image i and builds its scene (run off the caller's task).
    init(limit: Int, prepare: @escaping @Sendable (Int) throws -> AttentionScene) {
        self.limit = limit
        self.prepare = prepare
    }

    /// Bytes held now.
    var bytes: Int { state.withLock { $0.bytes } }
    /// Images held now.
    var count: Int { state.withLock { $0.entries.count } }

    /// The scene of image `index`, prepared now or earlier.
    func scene(_ index: Int) async throws -> AttentionScene {
        let task: Task<AttentionScene, any Error> = state.withLock { state in
            state.clock += 1
            if var entry = state.entries[index] {
                entry.lastUse = state.clock
                state.entries[index] = entry
                return Task { entry.scene }
            }
            if let running = state.preparing[index] { return running }
            let prepare = self.prepare
            let running = Task.detached { try await onWorkerThread { try prepare(index) } }
            state.preparing[index] = running
            return running
        }
        do {
            let scene = try await task.value
            keep(scene, index: index)
            return scene
        } catch {
            _ = state.withLock { $0.preparing.removeValue(forKey: index) }
            throw error
        }
    }

    /// The bytes a scene holds (see the type's comment).
    static func size(of scene: AttentionScene) -> Int {
        scene.image.canvas.pixels.count + 4 * scene.heldFloats
    }

    private func keep(_ scene: AttentionScene, index: Int) {
        state.withLock { state in
            state.preparing.removeValue(forKey: index)
            guard state.entries[index] == nil else { return }
            let bytes = Self.size(of: scene)
            guard bytes <= limit else { return }
            while state.bytes + bytes > limit, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.entries.removeValue(forKey: oldest.key)
                state.bytes -= oldest.value.bytes
            }
            state.clock += 1
            state.entries[index] = Entry(scene: scene, bytes: bytes, lastUse: state.clock)
            state.bytes += bytes
        }
    }
}
