import FileSystem
/// Where each image's outputs go: `<OUT>/<subfolder>/<stem>_<mode>.png`, keeping the
/// sub-folders of the input tree (Contract 4).
///
/// Two inputs can claim the same name: `a.png` and `a.jpg` in one folder, or the same
/// relative path under two folder arguments. Names are then given deterministically, in the
/// order of the input list (argument order, then UTF-8 byte order of the relative path):
/// 1. the first input keeps its stem: `a_axial.png` (here `a.jpg`, since "a.jpg" < "a.png");
/// 2. a later one uses its whole file name as the stem: `a.png_axial.png`;
/// 3. if that is taken too, `~2`, `~3`, … is appended: `a.png~2_axial.png`.
/// Names are compared per output folder and per stem (all modes share a stem), so the
/// layout is the same whatever modes are chosen. Plan the whole input list before sharding,
/// so that every shard agrees on the names.
public struct OutputLayout: Sendable, Equatable {
    /// The output folder (`outputs` by default).
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The jobs for `inputs`, in the same order, each with its collision-free stem.
    /// `companions` (`preview.jpg`) are files written beside every image's outputs (see
    /// ``BatchJob/companions``).
    public func plan<Output: BatchOutput>(_ inputs: [BatchInput], modes: [Output],
                                          companions: [String] = []) -> [BatchJob<Output>] {
        precondition(!modes.isEmpty, "OutputLayout.plan needs at least one mode")
        var taken: Set<String> = []   // "<subfolder>/<stem>"
        var jobs: [BatchJob<Output>] = []
        jobs.reserveCapacity(inputs.count)
        for input in inputs {
            let folder = input.subfolder
            var stem = input.stem
            if !taken.insert(folder + "/" + stem).inserted {
                stem = input.fileName
                var suffix = 2
                while !taken.insert(folder + "/" + stem).inserted {
                    stem = input.fileName + "~\(suffix)"
                    suffix += 1
                }
            }
            jobs.append(BatchJob(input: input, outputFolder: Folder.join(root, folder),
                                 outputStem: stem, modes: modes, companions: companions))
        }
        return jobs
    }
}
