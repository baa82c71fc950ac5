import Synchronization

/// A value computed on first use, once, and shared by every copy of the struct that holds
/// it: a scene asked about another query (``AttentionScene/asking(_:)``) or drawn on a
/// shrunk canvas keeps what the original computed, and a trained network's modes never pay
/// for the weight-free features they do not draw.
///
/// Concurrent first uses wait for one computation.
final class SharedLazy<Value: Sendable>: Sendable {
    private enum State {
        case pending(@Sendable () -> Value)
        case done(Value)
    }

    private let state: Mutex<State>

    init(_ make: @escaping @Sendable () -> Value) {
        state = Mutex(.pending(make))
    }

    /// The value, computed now if it was not yet.
    var value: Value {
        state.withLock { state in
            switch state {
            case .done(let value): return value
            case .pending(let make):
                let value = make()
                state = .done(value)
                return value
            }
        }
    }

    /// The value if it has been computed, else nil (without computing it).
    var computed: Value? {
        state.withLock { state in
            if case .done(let value) = state { return value }
            return nil
        }
    }
}
