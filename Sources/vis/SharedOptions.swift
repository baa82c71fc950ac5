import ArgumentParser

/// `--overwrite`: every command that writes files refuses to replace one without it.
struct OverwriteOption: ParsableArguments {
    @Flag(help: "Replace existing outputs.")
    var overwrite = false
}

/// `--prefix`: picks a sub-module out of a model file (`render --weights`, `forward MODEL`).
struct PrefixOption: ParsableArguments {
    @Option(help: "Sub-module prefix inside the model file (e.g. `blocks.3.attn`); `module.` and `backbone.` are always stripped.")
    var prefix: String = ""
}
