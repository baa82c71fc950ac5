/// At most `running` renders at once and at most `waiting` more queued; a request beyond
/// that is refused at once (503) instead of piling up. With the page's own rule (one
/// request in flight per view, the newest click replacing any that waits), fast clicking
/// never queues unbounded work.
actor WorkLimiter {
    let running: Int
    let waiting: Int
    private var active = 0
    private var queue: [CheckedContinuation<Void, Never>] = []

    init(running: Int, waiting: Int) {
        precondition(running >= 1 && waiting >= 0, "WorkLimiter(running: \(running), waiting: \(waiting))")
        self.running = running
        self.waiting = waiting
    }

    /// Runs `body` when a slot is free; throws 503 when the queue is full.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if active >= running {
            guard queue.count < waiting else {
                throw ExplorerError(status: 503, message: "busy: \(running) renders running and \(waiting) waiting; try again")
            }
            await withCheckedContinuation { queue.append($0) }
        } else {
            active += 1
        }
        defer { release() }
        return try await body()
    }

    /// Hands the slot to the first waiter, or frees it.
    private func release() {
        if queue.isEmpty { active -= 1 } else { queue.removeFirst().resume() }
    }
}
