import Foundation

/// Runs blocking `work` on a new thread and awaits its result, so blocking calls never hold a
/// thread that the Swift concurrency pool or Dispatch's global queue needs.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}
