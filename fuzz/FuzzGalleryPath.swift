// libFuzzer harness: the gallery server's request-path resolver on arbitrary request targets,
// over a small fixed folder with a symlink pointing outside it. Invariant: whatever is
// served lies inside the folder. Built by fuzz/build.sh with the Gallery sources (without
// the two FlyingFox files, GalleryServer and GalleryFileHandler).
import Foundation

private let setup: (resolver: GalleryPathResolver, root: String) = {
    let base = NSTemporaryDirectory() + "vis-fuzz-gallery-\(getpid())"
    let fm = FileManager.default
    try? fm.removeItem(atPath: base)
    try! fm.createDirectory(atPath: base + "/root/sub", withIntermediateDirectories: true)
    try! fm.createDirectory(atPath: base + "/outside", withIntermediateDirectories: true)
    for file in ["root/a_axial.png", "root/index.html", "root/sub/b_all.png", "outside/secret.txt"] {
        fm.createFile(atPath: base + "/" + file, contents: Data("x".utf8))
    }
    try! fm.createSymbolicLink(atPath: base + "/root/leak.png", withDestinationPath: base + "/outside/secret.txt")
    try! fm.createSymbolicLink(atPath: base + "/root/out", withDestinationPath: base + "/outside")
    let root = try! GalleryRoot(URL(fileURLWithPath: base + "/root"))
    let real = URL(fileURLWithPath: base + "/root").resolvingSymlinksInPath().path
    return (GalleryPathResolver(root: root), real)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGalleryPath(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let target = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if case let .file(realPath) = setup.resolver.resolve(percentEncodedPath: target) {
        precondition(realPath.hasPrefix(setup.root + "/"), "served \(realPath) outside \(setup.root) for \(target)")
        precondition(!realPath.contains("/outside/"), "served \(realPath) for \(target)")
    }
    return 0
}
