#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Counts SIGINTs (Ctrl-C) while a batch runs, so that the runner can stop starting jobs.
///
/// The handler is a plain `sigaction` handler that only increments an atomic counter
/// (async-signal-safe); the runner polls the counter. A `DispatchSource` signal source was
/// tried first and lost 2 of 5 SIGINTs on Linux (libdispatch blocks the signal in one thread
/// only, so a busy worker thread may take it and, the disposition being SIG_IGN, drop it).
/// A second SIGINT while the first is being handled exits at once with status 130, as
/// users expect from a second Ctrl-C. Installs are counted, so nested or concurrent runners
/// share one handler and the previous disposition is restored when the last one finishes.
enum InterruptSignal {
    private static let received = Atomic<Int>(0)
    private static let receivedAtInstall = Atomic<Int>(0)
    private static let state = Mutex<(installs: Int, previous: sigaction)>((0, sigaction()))

    /// SIGINTs received since the process started.
    static var count: Int { received.load(ordering: .acquiring) }

    static func install() {
        state.withLock { state in
            state.installs += 1
            guard state.installs == 1 else { return }
            receivedAtInstall.store(received.load(ordering: .acquiring), ordering: .releasing)
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { _ in InterruptSignal.handle() }
            #else
            action.__sigaction_u.__sa_handler = { _ in InterruptSignal.handle() }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(SIGINT, &action, &state.previous)
        }
    }

    static func uninstall() {
        state.withLock { state in
            precondition(state.installs > 0, "InterruptSignal.uninstall without install")
            state.installs -= 1
            if state.installs == 0 { sigaction(SIGINT, &state.previous, nil) }
        }
    }

    /// Runs in the signal handler: only atomics and `write`/`_exit`.
    private static func handle() {
        let now = received.add(1, ordering: .acquiringAndReleasing).newValue
        if now - receivedAtInstall.load(ordering: .acquiring) >= 2 {
            let message: StaticString = "\nvis: interrupted twice, stopping now\n"
            _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
            _exit(130)
        }
    }
}
