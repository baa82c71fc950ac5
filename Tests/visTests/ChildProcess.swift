import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `vis` binary as a child process and reports its own peak memory
/// (`wait4`'s `ru_maxrss` for that one child, floored by the test process's own peak, see
/// `Result.peakKilobytes`), with stdout and stderr in files; can also send it a signal.
enum ChildProcess {
    struct Result {
        let status: Int32?
        let signal: Int32?
        /// The child's `ru_maxrss`. Linux carries the pre-exec high-water mark over (posix_spawn
        /// runs the child on the parent's memory until exec), so this is at least
        /// `parentPeakKilobytes`; only a value above it says something about the child.
        let peakKilobytes: Int
        /// This test process's own `ru_maxrss` just before the spawn.
        let parentPeakKilobytes: Int
        let seconds: Double
        let output: String
        let error: String
    }

    /// Starts `vis arguments` and waits; `signal` (after `signalAfter` seconds, or when
    /// `signalWhen` first returns true, polled every 10 ms) is sent to the child.
    static func run(_ arguments: [String], signal: Int32? = nil, signalAfter: Double = 0,
                    signalWhen: (() -> Bool)? = nil) throws -> Result {
        try spawn(VisBinary.url.path, [VisBinary.url.path] + arguments, signal: signal, signalAfter: signalAfter,
                  signalWhen: signalWhen)
    }

    /// GNU time, which reports the peak of the process it starts itself (a fork of a small
    /// process, so no test-process floor); tests that need it are skipped without it.
    static let time = "/usr/bin/time"
    static var canMeasurePeak: Bool { FileManager.default.isExecutableFile(atPath: time) }

    /// Starts `vis arguments` under GNU time (`-f %M`): `peakKilobytes` is then vis's own
    /// peak resident memory, not floored by this process's (`parentPeakKilobytes` is 0).
    static func measured(_ arguments: [String]) throws -> Result {
        let peakFile = VisBinary.temporaryFolder() + "/peak"
        let result = try spawn(time, [time, "-f", "%M", "-o", peakFile, VisBinary.url.path] + arguments)
        let text = (try? String(contentsOfFile: peakFile, encoding: .utf8)) ?? ""
        // The last line is the figure (GNU time writes "Command exited with non-zero status N" before it).
        guard let peak = text.split(separator: "\n").last.flatMap({ Int($0) }) else {
            throw POSIXError(.EIO)
        }
        return Result(status: result.status, signal: result.signal, peakKilobytes: peak, parentPeakKilobytes: 0,
                      seconds: result.seconds, output: result.output, error: result.error)
    }

    private static func spawn(_ program: String, _ arguments: [String], signal: Int32? = nil, signalAfter: Double = 0,
                              signalWhen: (() -> Bool)? = nil) throws -> Result {
        let folder = VisBinary.temporaryFolder()
        let outPath = folder + "/stdout", errPath = folder + "/stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // A clean signal state: the test runner may block or ignore SIGINT, and both are
        // inherited across exec.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        var own = rusage()
        getrusage(RUSAGE_SELF.rawValue, &own)
        let start = Date()
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        if let signal {
            if let signalWhen {
                while !signalWhen() && Date().timeIntervalSince(start) < 60 { usleep(10_000) }
            } else {
                usleep(UInt32(signalAfter * 1_000_000))
            }
            kill(pid, signal)
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Date().timeIntervalSince(start)
        let exited = status & 0x7F == 0
        return Result(status: exited ? (status >> 8) & 0xFF : nil,
                      signal: exited ? nil : status & 0x7F,
                      peakKilobytes: Int(usage.ru_maxrss), parentPeakKilobytes: Int(own.ru_maxrss), seconds: seconds,
                      output: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      error: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
