import Dispatch

/// Runs CPU-heavy `work` (a decode, a forward pass, a render) on a GCD worker thread and
/// awaits its result. Swift concurrency's pool has one thread per core: a render held on it
/// would keep the HTTP server (which runs on that pool) from accepting and answering other
/// requests until it ends.
func onWorkerThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
