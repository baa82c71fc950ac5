#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileSystem
import Synchronization

/// A one-line progress bar on standard error, for people watching a terminal:
/// `[#######.............] 37/100  4.2 img/s  ETA 0:15`.
///
/// It draws only when enabled (`standardError(total:quiet:)` enables it when standard error
/// is a TTY and `--quiet` is not given), so logs and pipes get nothing. The line is redrawn
/// in place (`\r`, then erase to the end of the line) at most once per `minimumInterval`
/// (0.1 s), always for the last image, and `finish()` ends it with a newline. The rate counts
/// rendered images only; images skipped by `--resume` advance the count but not the rate, so
/// the ETA is not fooled by a fast start. Thread-safe: workers call `advance` directly.
public final class ProgressReporter: Sendable {
    public let total: Int
    public let isEnabled: Bool
    private let minimumInterval: Double
    private let output: @Sendable (String) -> Void
    private let state: Mutex<State>

    private struct State {
        var done = 0
        var rendered = 0
        var started: Double
        var lastDraw = -Double.infinity
        var drawn = false
        var finished = false
    }

    /// - Parameter output: receives each piece of text to print (tests pass a collector).
    public init(total: Int, enabled: Bool, minimumInterval: Double = 0.1,
                output: @escaping @Sendable (String) -> Void) {
        self.total = total
        self.isEnabled = enabled
        self.minimumInterval = minimumInterval
        self.output = output
        self.state = Mutex(State(started: Clock.monotonic()))
    }

    /// A reporter on standard error, enabled only when it is a terminal and not `quiet`.
    public static func standardError(total: Int, quiet: Bool) -> ProgressReporter {
        ProgressReporter(total: total, enabled: !quiet && isatty(2) == 1) { text in
            var bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Counts finished images (`skipped`: resumed, not rendered) and redraws if due.
    public func advance(by count: Int = 1, skipped: Bool = false) {
        guard isEnabled else { return }
        let line: String? = state.withLock { state in
            state.done += count
            if !skipped { state.rendered += count }
            let now = Clock.monotonic()
            guard !state.finished, state.done >= total || now - state.lastDraw >= minimumInterval else { return nil }
            state.lastDraw = now
            state.drawn = true
            return Self.line(done: state.done, total: total, rendered: state.rendered, elapsed: now - state.started)
        }
        if let line { output("\r" + line + "\u{1B}[K") }
    }

    /// Draws the final state and ends the line (only if something was drawn).
    public func finish() {
        guard isEnabled else { return }
        let text: String? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            guard state.drawn || state.done > 0 else { return nil }
            let line = Self.line(done: state.done, total: total, rendered: state.rendered,
                                 elapsed: Clock.monotonic() - state.started)
            return "\r" + line + "\u{1B}[K\n"
        }
        if let text { output(text) }
    }

    /// The bar text for a state: `[####......] done/total  R.R img/s  ETA m:ss`.
    ///
    /// `#` fills ⌊done·barWidth/total⌋ cells; rate = rendered / elapsed, one decimal;
    /// ETA = (total − done) / rate, `--:--` while the rate is unknown, `h:mm:ss` past an hour.
    public static func line(done: Int, total: Int, rendered: Int, elapsed: Double, barWidth: Int = 20) -> String {
        let filled = total > 0 ? min(barWidth, done * barWidth / total) : barWidth
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]"
        let rate = elapsed > 0 ? Double(rendered) / elapsed : 0
        let tenths = Int((rate * 10).rounded())
        let eta: String
        if done >= total {
            eta = "0:00"
        } else if rate > 0 {
            eta = clock(Int((Double(total - done) / rate).rounded()))
        } else {
            eta = "--:--"
        }
        return "\(bar) \(done)/\(total)  \(tenths / 10).\(tenths % 10) img/s  ETA \(eta)"
    }

    /// `m:ss`, or `h:mm:ss` from one hour on.
    static func clock(_ seconds: Int) -> String {
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }
}
