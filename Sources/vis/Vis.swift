import ArgumentParser
import TensorCore
#if canImport(Glibc)
import Glibc
#endif

/// The `vis` command line: render attention overlays (default), export pixels, run one module.
struct Vis: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vis",
        abstract: "Shows where attention goes in an image.",
        subcommands: [Render.self, Export.self, Forward.self, View.self, Explore.self, BenchSgemm.self],
        defaultSubcommand: Render.self
    )
}

/// Entry point with the exit codes of Contract 4: 0 success, 1 a failure (each listed),
/// 2 a usage error.
@main
enum Main {
    static func main() async {
        do {
            var command = try Vis.parseAsRoot()
            // OpenBLAS's idle workers stopped, the pool's helpers started asleep: once the
            // thread count is known (`render` sizes it from `--jobs` itself).
            if !(command is Render) { BLAS.prepareThreads() }
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = Vis.exitCode(for: error)
            if code == .success {
                print(Vis.fullMessage(for: error))
                exit(0)
            }
            if code == .validationFailure {
                FileHandleStream.standardError.write(Vis.fullMessage(for: error) + "\n")
                exit(2)
            }
            // Our own errors say which file and what is wrong in one line.
            FileHandleStream.standardError.write("vis: \(error)\n")
            exit(1)
        }
    }
}
