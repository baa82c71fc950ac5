import ArgumentParser

@main
struct Vis: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Shows where attention goes in an image.")
}
