/// What `InputWalker.walk` found: the images to process, the files skipped because they are
/// not images (reported, or silent when nothing suggests they are), and the arguments that
/// could not be used.
public struct WalkResult: Sendable, Equatable {
    /// A file inside a folder argument that is, or is named like, an image but whose content
    /// is not a PNG or JPEG (a GIF, a text file named `.jpg`). Skipped, reported, never a
    /// failure.
    public struct NotAnImage: Sendable, Equatable, Hashable {
        public let path: String
        /// The recognised format vis does not read (`"GIF"`), or `nil` for no known signature.
        public let format: String?

        public init(path: String, format: String?) {
            self.path = path
            self.format = format
        }
    }

    /// Images, in argument order, each folder's files in UTF-8 byte order of their relative
    /// path; each file at most once (the first path that reaches it wins).
    public var inputs: [BatchInput]
    public var notImages: [NotAnImage]
    /// Files inside folder arguments that are neither images by content nor named like one
    /// (`README.txt`, `LICENSE.md`), by path: skipped without a word, counted for `--json`.
    public var skippedNonImages: [String]
    /// Missing paths, unreadable folders or files, and files given explicitly that are not
    /// images.
    public var failures: [BatchFailure]

    public init(inputs: [BatchInput] = [], notImages: [NotAnImage] = [], skippedNonImages: [String] = [],
                failures: [BatchFailure] = []) {
        self.inputs = inputs
        self.notImages = notImages
        self.skippedNonImages = skippedNonImages
        self.failures = failures
    }
}
