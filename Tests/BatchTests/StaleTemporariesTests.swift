import Foundation
import Testing
@testable import Batch

@Suite struct StaleTemporariesTests {
    /// A PID that no process has (searched downwards from the kernel's usual limit).
    func deadPID() -> Int32 {
        var pid: Int32 = 4_194_000
        while kill(pid, 0) == 0 || errno == EPERM { pid -= 1 }
        return pid
    }

    @Test func sweepsDeadAndOldTemporariesOnly() throws {
        let folder = TestFolder()
        let start = Date().timeIntervalSince1970
        let live = getppid()   // our parent is alive for the whole test
        let dead = deadPID()
        let deadTemp = folder.write(".a_axial.png.vis-tmp-\(dead)-11", [1, 2])
        let liveFresh = folder.write(".b_axial.png.vis-tmp-\(live)-12", [1, 2])
        let liveOld = folder.write(".c_axial.png.vis-tmp-\(live)-13", [1, 2])
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: start - 3600)],
                                              ofItemAtPath: liveOld)
        let unrelated = ["a_axial.png", ".hidden", ".d.png.vis-tmp-notapid-1", "e.png.vis-tmp-\(dead)-1"]
        for name in unrelated { folder.write(name, [0]) }

        let removed = StaleTemporaries.sweep(folders: [folder.path, folder.url("missing")], startedAt: start)
        #expect(Set(removed) == [deadTemp, liveOld])
        #expect(folder.allFiles() == (unrelated + [(liveFresh as NSString).lastPathComponent]).sorted())
    }

    @Test func ageAloneWhenProcessesAreNotChecked() throws {
        let folder = TestFolder()
        let start = Date().timeIntervalSince1970
        let dead = deadPID()
        let fresh = folder.write(".a_axial.png.vis-tmp-\(dead)-1", [1])
        let old = folder.write(".b_axial.png.vis-tmp-\(dead)-2", [1])
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: start - 61)],
                                              ofItemAtPath: old)
        let removed = StaleTemporaries.sweep(folders: [folder.path], startedAt: start, grace: 60, checkProcesses: false)
        #expect(removed == [old])
        #expect(FileManager.default.fileExists(atPath: fresh))
    }

    @Test func removeOwnTouchesOnlyThisProcessAndThoseTargets() {
        let folder = TestFolder()
        let me = getpid()
        let mine = folder.write(".a_axial.png.vis-tmp-\(me)-5", [1])
        let mineOtherTarget = folder.write(".b_axial.png.vis-tmp-\(me)-6", [1])
        let others = folder.write(".a_axial.png.vis-tmp-\(getppid())-7", [1])
        let removed = StaleTemporaries.removeOwn(for: [folder.url("a_axial.png")])
        #expect(removed == [mine])
        #expect(FileManager.default.fileExists(atPath: mineOtherTarget) && FileManager.default.fileExists(atPath: others))
    }
}
