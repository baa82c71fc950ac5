#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileSystem

/// Finds and removes the temporary files that a killed run left in output folders.
///
/// Every file vis writes goes through `AtomicFile` (FileSystem), which writes
/// `.NAME.vis-tmp-PID-RANDOM` next to the target and renames it at the end; a process killed
/// in between leaves the temporary behind. Only names of exactly that pattern
/// (``TemporaryName``) are touched, and only in the folders given (not recursively).
///
/// A temporary is stale when
/// - it was last modified more than `grace` seconds before the run started (a write takes
///   far less than that, so nobody is still writing it), or
/// - `checkProcesses` is on and its PID is not a live process on this machine, or is this
///   process's own PID (sweep before writing anything).
/// Turn `checkProcesses` off when other machines write to the same folder (a Slurm array on
/// a shared file system): their PIDs mean nothing here, and only the age rule is safe.
public enum StaleTemporaries {
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
        for folder in Set(folders).sorted(by: Folder.utf8Order) {
            guard let names = try? Folder.entries(of: folder) else { continue }
            for fileName in names {
                guard let name = TemporaryName(parsing: fileName) else { continue }
                let path = Folder.join(folder, fileName)
                guard let status = FileStatus.of(path, followingSymlinks: false), status.kind == .regularFile else { continue }
                let old = status.modified < startedAt - grace
                let orphaned = checkProcesses && (name.processID == ownID || !isAlive(name.processID))
                if (old || orphaned) && Folder.remove(path) { removed.append(path) }
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
            let (folder, name) = Folder.split(output)
            wanted[folder, default: []].insert(name)
        }
        var removed: [String] = []
        for (folder, targets) in wanted.sorted(by: { Folder.utf8Order($0.key, $1.key) }) {
            guard let names = try? Folder.entries(of: folder) else { continue }
            for fileName in names {
                guard let name = TemporaryName(parsing: fileName), name.processID == ownID, targets.contains(name.target) else { continue }
                let path = Folder.join(folder, fileName)
                if Folder.remove(path) { removed.append(path) }
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
