import ArgumentParser
import Dispatch
import Foundation
import Explorer
import Gallery
import Rendering

/// `vis view DIR [--serve] [--port P]`: writes DIR/index.html, a gallery that works when
/// opened from disk; with `--serve`, serves DIR on 127.0.0.1 only until Ctrl-C.
struct View: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write DIR/index.html, a gallery of the overlays in DIR; optionally serve it on 127.0.0.1.")

    @Argument(help: "A folder of vis outputs.")
    var directory: String = "outputs"

    @Flag(help: "Serve the folder on 127.0.0.1 (nothing outside it is reachable).")
    var serve = false

    @Option(help: "Port for --serve (0: any free port).")
    var port: UInt16 = GalleryServer.defaultPort

    func run() async throws {
        let folder = URL(fileURLWithPath: directory)
        let page = try GalleryPage.generate(in: folder, modes: RenderMode.names)
        FileHandleStream.standardOutput.write("wrote \(page.path)\n")
        guard serve else { return }
        // The explorer over the originals of the folder, at /explore/ (linked from the page).
        let originals = try GalleryScanner(directory: folder, modes: RenderMode.names).scan().compactMap { image in
            image.original.map { ExplorerImage(name: image.key, path: folder.appendingPathComponent($0).path) }
        }
        let explorer = Explorer(images: originals, settings: RenderSettings(),
                                saveFolder: folder.appendingPathComponent("explore").path, port: 0)
        let server = try GalleryServer(directory: folder, port: port,
                                       mount: originals.isEmpty ? nil : ("/explore/", explorer.handler))
        let address = try await server.start()
        FileHandleStream.standardOutput.write("serving \(directory) at \(address) (Ctrl-C to stop)\n")
        if !originals.isEmpty {
            FileHandleStream.standardOutput.write("exploring its \(originals.count) originals at \(address)explore/\n")
        }
        await server.waitUntilStopped()
    }
}
