#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImageCodecs

/// Finds and removes the temporary files that a killed run left in output folders.
///
/// `AtomicFile` writes `.NAME.vis-tmp-PID-RANDOM` next to the target and renames it at the
/// end; a process killed in between leaves the temporary behind. Only names of exactly that
/// pattern are touched (a leading dot, the marker `AtomicFile.temporaryMarker`, a decimal
/// PID, a dash, a decimal number), and only in the folders given (not recursively).
///
/// A temporary is stale when
/// - it was last modified more than `grace` seconds before the run started (a write takes
///   far less than that, so nobody is still writing it), or
/// - `checkProcesses` is on and its PID is not a live process on this machine, or is this
///   process's own PID (sweep before writing anything).
/// Turn `checkProcesses` off when other machines write to the same folder (a Slurm array on
/// a shared file system): their PIDs mean nothing here, and only the age rule is safe.
public enum StaleTemporaries {
    /// The parts of a temporary's file name.
    public struct Name: Sendable, Equatable {
        /// The file it would have become (`a_axial.png`).
        public let target: String
        /// The process that was writing it.
        public let processID: Int32
    }

    /// Parses `.NAME.vis-tmp-PID-RANDOM`; `nil` for any other name.
    public static func parse(_ fileName: String) -> Name? {
        let marker = AtomicFile.temporaryMarker
        let bytes = Array(fileName.utf8)
        let mark = Array(marker.utf8)
        guard bytes.first == UInt8(ascii: "."), bytes.count > mark.count + 1,
              let start = (1...(bytes.count - mark.count)).reversed().first(where: { bytes[$0..<($0 + mark.count)].elementsEqual(mark) })
        else { return nil }
        let target = String(decoding: bytes[1..<start], as: UTF8.self)
        let tail = String(decoding: bytes[(start + mark.count)...], as: UTF8.self)
            .split(separator: "-", omittingEmptySubsequences: false)
        func decimal(_ s: Substring) -> Bool { !s.isEmpty && s.utf8.allSatisfy { (48...57).contains($0) } }
        guard !target.isEmpty, tail.count == 2, decimal(tail[0]), decimal(tail[1]),
              let pid = Int32(tail[0]), pid > 0
        else { return nil }
        return Name(target: String(target), processID: pid)
    }

    /// Removes the stale temporaries in `folders` (missing folders are ignored) and returns
    /// the paths removed.
    ///
    /// - Parameters:
    ///   - startedAt: the run's start, seconds since the epoch (wall clock, as file times).
    ///   - grace: how long before the start a temporary must have been last modified to be
    ///     stale by age alone.
    @discardableResult
    public static func sweep(folders: [String], startedAt: Double, grace: Double = 60,
                             checkProcesses: Bool = true) -> [String] {
        var removed: [String] = []
        let ownID = getpid()
        for folder in Set(folders).sorted(by: FileSystem.utf8Order) {
            guard let names = try? FileSystem.entries(of: folder) else { continue }
            for fileName in names {
                guard let name = parse(fileName) else { continue }
                let path = FileSystem.join(folder, fileName)
                guard let (isLink, status) = FileSystem.linkStatus(path), !isLink, status.kind == .file else { continue }
                let old = status.modified < startedAt - grace
                let orphaned = checkProcesses && (name.processID == ownID || !isAlive(name.processID))
                if (old || orphaned) && FileSystem.remove(path) { removed.append(path) }
            }
        }
        return removed
    }

    /// Removes this process's own temporaries for the given output paths (after a job failed
    /// or the run was interrupted, when none of its writes is still running). Returns the
    /// paths removed.
    @discardableResult
    public static func removeOwn(for outputs: [String]) -> [String] {
        let ownID = getpid()
        var wanted: [String: Set<String>] = [:]   // folder -> target names
        for output in outputs {
            let slash = output.lastIndex(of: "/")
            let folder = slash.map { String(output[..<$0]) } ?? "."
            let name = slash.map { String(output[output.index(after: $0)...]) } ?? output
            wanted[folder.isEmpty ? "/" : folder, default: []].insert(name)
        }
        var removed: [String] = []
        for (folder, targets) in wanted.sorted(by: { FileSystem.utf8Order($0.key, $1.key) }) {
            guard let names = try? FileSystem.entries(of: folder) else { continue }
            for fileName in names {
                guard let name = parse(fileName), name.processID == ownID, targets.contains(name.target) else { continue }
                let path = FileSystem.join(folder, fileName)
                if FileSystem.remove(path) { removed.append(path) }
            }
        }
        return removed
    }

    /// Whether a process with this ID exists on this machine (`kill(pid, 0)`; a process of
    /// another user counts as alive).
    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
