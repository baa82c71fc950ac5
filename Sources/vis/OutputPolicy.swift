import FileSystem

/// Nothing the user already had is overwritten silently: an existing output is an error
/// unless `--overwrite` is given.
struct OutputPolicy {
    var overwrite: Bool

    struct Refused: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path): already exists; pass --overwrite to replace it" }
    }

    func check(_ path: String) throws {
        if !overwrite && FileStatus.exists(path) { throw Refused(path: path) }
    }
}
